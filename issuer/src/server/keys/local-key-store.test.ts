import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeKeyStore } from "./key-store.conformance";
import { createLocalKeyStore, openWithKek, sealWithKek } from "./local-key-store";
import { useTestContext } from "@/test/suite";

const t = useTestContext();

let n = 0;
describeKeyStore("local (AES-256-GCM in the database)", async () => {
  const did = `did:web:issuer${++n}.haki.test`;
  return { store: createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did, kek: randomBytes(32) }), did };
});

describe("local key store encryption", () => {
  it("stores private keys only encrypted", async () => {
    const kek = randomBytes(32);
    const store = createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did: "did:web:enc.haki.test", kek });
    await store.getSigningKey();
    const row = await t.ctx.db.issuerKey.findFirstOrThrow({ where: { did: "did:web:enc.haki.test" } });
    expect(row.encryptedPrivateKey).toMatch(/^v1\./);
    expect(row.encryptedPrivateKey).not.toContain('"d"');
    const jwk = JSON.parse(openWithKek(kek, row.encryptedPrivateKey, row.kid).toString()) as { d?: string };
    expect(jwk.d).toBeTypeOf("string");
  });

  it("refuses a wrong key-encryption key, a moved ciphertext and tampering", async () => {
    const kek = randomBytes(32);
    const sealed = sealWithKek(kek, Buffer.from("secret"), "kid-1");
    expect(openWithKek(kek, sealed, "kid-1").toString()).toBe("secret");
    expect(() => openWithKek(randomBytes(32), sealed, "kid-1")).toThrow(expect.objectContaining({ code: "ERR_KEY_DECRYPT" }));
    expect(() => openWithKek(kek, sealed, "kid-2")).toThrow(expect.objectContaining({ code: "ERR_KEY_DECRYPT" }));
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => openWithKek(kek, `v1.${raw.toString("base64url")}`, "kid-1")).toThrow(expect.objectContaining({ code: "ERR_KEY_DECRYPT" }));
  });

  it("cannot sign with a store opened under another key-encryption key", async () => {
    const did = "did:web:other.haki.test";
    await createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did, kek: randomBytes(32) }).getSigningKey();
    await expect(createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did, kek: randomBytes(32) }).getSigningKey()).rejects.toMatchObject({ code: "ERR_KEY_DECRYPT" });
  });
});

describe("local key store cache", () => {
  it("keeps the active key in memory; concurrent callers share one database check", async () => {
    let reads = 0;
    const counted = t.ctx.db.$extends({ query: { issuerKey: { $allOperations: ({ args, query }) => (reads++, query(args)) } } }) as unknown as typeof t.ctx.db;
    const kek = randomBytes(32);
    await createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did: "did:web:cache.haki.test", kek }).getSigningKey();
    const store = createLocalKeyStore({ audit: t.ctx, db: counted, did: "did:web:cache.haki.test", kek, recheckMs: 60_000 });
    reads = 0;
    const cold = await Promise.all(Array.from({ length: 20 }, () => store.getSigningKey()));
    expect(new Set(cold.map((k) => k.kid)).size).toBe(1);
    expect(reads).toBe(2); // the active key's id, then its ciphertext: once for all twenty
    const warm = await Promise.all(Array.from({ length: 20 }, () => store.getSigningKey()));
    expect(warm[0]!.kid).toBe(cold[0]!.kid);
    expect(reads).toBe(2);
  });

  it("switches at once after its own rotation, and after recheckMs after another instance's", async () => {
    const did = "did:web:rotate.haki.test";
    const kek = randomBytes(32);
    const a = createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did, kek, recheckMs: 60_000 });
    const b = createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did, kek, recheckMs: 60_000 });
    const eager = createLocalKeyStore({ audit: t.ctx, db: t.ctx.db, did, kek, recheckMs: 0 });
    const k1 = await a.getSigningKey();
    expect((await b.getSigningKey()).kid).toBe(k1.kid);
    const rotated = await a.rotate({ actorId: null });
    expect((await a.getSigningKey()).kid).toBe(rotated.kid);
    // b checked less than a minute ago: it still signs with k1, which stays published
    expect((await b.getSigningKey()).kid).toBe(k1.kid);
    expect((await b.listPublicKeys()).map((k) => k.kid)).toContain(k1.kid);
    // an instance whose recheck interval has passed sees the new key
    expect((await eager.getSigningKey()).kid).toBe(rotated.kid);
  });
});
