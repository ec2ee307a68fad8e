/**
 * The conformance suite every `RelayStore` passes (the memory store here; the issuer's database store
 * in phase 2): `describeRelayStore("prisma", () => new PrismaRelayStore(db))`.
 */
import { describe, expect, it } from "vitest";
import type { RelayRecord, RelayStore } from "./relay";

const record = (id: string, expiresAt = 2_000): RelayRecord => ({ requestId: id, transactionHash: `hash-${id}`, expiresAt });

export function describeRelayStore(name: string, makeStore: () => RelayStore | Promise<RelayStore>): void {
  describe(`RelayStore conformance: ${name}`, () => {
    it("creates, reads, attaches the request object", async () => {
      const store = await makeStore();
      await store.create(record("req-aaaaaaaaaaaaaaaa"));
      expect(await store.get("req-aaaaaaaaaaaaaaaa")).toMatchObject({ requestId: "req-aaaaaaaaaaaaaaaa", transactionHash: "hash-req-aaaaaaaaaaaaaaaa" });
      await store.setRequestObject("req-aaaaaaaaaaaaaaaa", "a.b.c", "kid-1");
      expect(await store.get("req-aaaaaaaaaaaaaaaa")).toMatchObject({ requestObject: "a.b.c", encryptionKid: "kid-1" });
      expect(await store.get("req-unknownunknown")).toBeUndefined();
      await store.create({ ...record("req-ffffffffffffffff"), openedBy: "dev-1" });
      expect(await store.get("req-ffffffffffffffff")).toMatchObject({ openedBy: "dev-1" });
    });

    it("keeps the answer exactly as given, ciphertext or bare error code", async () => {
      const store = await makeStore();
      await store.create(record("req-gggggggggggggggg"));
      await store.create(record("req-hhhhhhhhhhhhhhhh"));
      expect(await store.saveAnswer("req-gggggggggggggggg", { kind: "jwe", jwe: "h.k.iv.c.t" })).toBe(true);
      expect(await store.saveAnswer("req-hhhhhhhhhhhhhhhh", { kind: "error", error: "access_denied", state: "st" })).toBe(true);
      expect((await store.get("req-gggggggggggggggg"))?.answer).toEqual({ kind: "jwe", jwe: "h.k.iv.c.t" });
      expect((await store.take("req-hhhhhhhhhhhhhhhh"))?.answer).toEqual({ kind: "error", error: "access_denied", state: "st" });
    });

    it("saves one answer only, even when two race", async () => {
      const store = await makeStore();
      await store.create(record("req-bbbbbbbbbbbbbbbb"));
      const results = await Promise.all([
        store.saveAnswer("req-bbbbbbbbbbbbbbbb", { kind: "jwe", jwe: "one" }),
        store.saveAnswer("req-bbbbbbbbbbbbbbbb", { kind: "jwe", jwe: "two" }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.saveAnswer("req-bbbbbbbbbbbbbbbb", { kind: "error", error: "access_denied" })).toBe(false);
      expect(await store.saveAnswer("req-nonexistentxxx", { kind: "jwe", jwe: "x" })).toBe(false);
    });

    it("take hands the record over once", async () => {
      const store = await makeStore();
      await store.create(record("req-cccccccccccccccc"));
      await store.saveAnswer("req-cccccccccccccccc", { kind: "jwe", jwe: "cipher" });
      const [first, second] = await Promise.all([store.take("req-cccccccccccccccc"), store.take("req-cccccccccccccccc")]);
      expect([first, second].filter((r) => r?.answer)).toHaveLength(1);
      expect(await store.get("req-cccccccccccccccc")).toBeUndefined();
    });

    it("deletes expired records only", async () => {
      const store = await makeStore();
      await store.create(record("req-dddddddddddddddd", 1_000));
      await store.create(record("req-eeeeeeeeeeeeeeee", 3_000));
      expect(await store.deleteExpired(2_000)).toBe(1);
      expect(await store.get("req-dddddddddddddddd")).toBeUndefined();
      expect(await store.get("req-eeeeeeeeeeeeeeee")).toBeDefined();
    });
  });
}
