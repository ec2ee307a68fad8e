import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemoryOfferStore } from "./memory-store";
import { createSealedNonces, createStoredNonces } from "./nonces";
import { base64url, base64urlDecode } from "./lib/crypto";

const T0 = new Date("2027-03-01T09:00:00Z");
const later = (s: number) => new Date(T0.getTime() + s * 1000);

function usedTable() {
  const rows = new Map<string, Date>();
  return {
    rows,
    markUsed: async ({ nonceHash, expiresAt }: { nonceHash: string; expiresAt: Date }) => {
      if (rows.has(nonceHash)) return false;
      rows.set(nonceHash, expiresAt);
      return true;
    },
  };
}

describe("sealed nonces", () => {
  const secret = new Uint8Array(randomBytes(32));

  it("store nothing when handed out, and one row (the digest) when spent, once", async () => {
    const used = usedTable();
    const nonces = createSealedNonces({ secret, markUsed: used.markUsed });
    const made = await Promise.all(Array.from({ length: 50 }, () => nonces.create(T0)));
    expect(new Set(made).size).toBe(50);
    expect(used.rows.size).toBe(0);
    expect(await nonces.consume(made[0]!, later(10))).toBe(true);
    expect(used.rows.size).toBe(1);
    expect([...used.rows.keys()][0]).not.toContain(made[0]);
    expect([...used.rows.values()][0]).toEqual(later(300));
    expect(await nonces.consume(made[0]!, later(11))).toBe(false);
  });

  it("refuse an expired nonce, another secret's nonce, a changed byte and junk, without writing", async () => {
    const used = usedTable();
    const nonces = createSealedNonces({ secret, markUsed: used.markUsed, ttlSeconds: 60 });
    const n = await nonces.create(T0);
    expect(await nonces.consume(n, later(60))).toBe(false);
    const other = createSealedNonces({ secret: new Uint8Array(randomBytes(32)), markUsed: used.markUsed });
    expect(await nonces.consume(await other.create(T0), later(1))).toBe(false);
    const bytes = base64urlDecode(n);
    for (const i of [0, 1, 8, 12, bytes.length - 1]) {
      const changed = bytes.slice();
      changed[i]! ^= 1;
      expect(await nonces.consume(base64url(changed), later(1))).toBe(false);
    }
    // A later expiry written into the nonce breaks its MAC.
    const extended = bytes.slice();
    new DataView(extended.buffer).setBigUint64(1, BigInt(later(3600).getTime()));
    expect(await nonces.consume(base64url(extended), later(120))).toBe(false);
    for (const junk of ["", "x", "a".repeat(55), "!".repeat(55), n + "A"]) expect(await nonces.consume(junk, later(1))).toBe(false);
    expect(used.rows.size).toBe(0);
    expect(await nonces.consume(n, later(59))).toBe(true);
  });

  it("agree with a node:crypto HMAC passed in (what the issuer does)", async () => {
    const used = usedTable();
    const web = createSealedNonces({ secret, markUsed: used.markUsed });
    const node = createSealedNonces({ secret, markUsed: used.markUsed, hmac: (k, d) => createHmac("sha256", k).update(d).digest() });
    expect(await node.consume(await web.create(T0), later(1))).toBe(true);
    expect(await web.consume(await node.create(T0), later(1))).toBe(true);
  });

  it("refuse a short secret", () => {
    expect(() => createSealedNonces({ secret: new Uint8Array(16), markUsed: async () => true })).toThrow(RangeError);
  });
});

describe("stored nonces", () => {
  it("keep a row per nonce and spend it once", async () => {
    const store = createMemoryOfferStore();
    const nonces = createStoredNonces({ store, ttlSeconds: 60 });
    const n = await nonces.create(T0);
    expect(await nonces.consume(n, later(61))).toBe(false);
    const m = await nonces.create(T0);
    expect(await nonces.consume(m, later(1))).toBe(true);
    expect(await nonces.consume(m, later(2))).toBe(false);
    expect(await nonces.consume("unknown", later(2))).toBe(false);
  });
});
