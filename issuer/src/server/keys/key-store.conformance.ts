/** The shared suite every KeyStore implementation passes (local today; an HSM or KMS later). */
import { describe, expect, it } from "vitest";
import { signCredential } from "@haki/credentials/sign";
import { compactVerify, importJWK } from "jose";
import type { KeyStore } from "./key-store";

const input = (did: string) => ({
  issuer: did,
  subject: {
    beneficiary: "HK-TEST0001",
    programme: { id: "cash", name: "Cash" },
    cycle: "2027-03",
    benefit: { type: "Cash" as const, amount: 10, currency: "KES" },
    redemption: "single" as const,
  },
  validFrom: "2027-03-01",
  validUntil: "2027-04-01",
  status: { revocationList: "https://i.test/status/1/revocation", suspensionList: "https://i.test/status/1/suspension", index: 1 },
});

/**
 * @example
 * describeKeyStore("local", async () => createLocalKeyStore({ db, did, kek, audit: ctx }));
 */
export function describeKeyStore(name: string, make: () => Promise<{ store: KeyStore; did: string }>): void {
  describe(`KeyStore conformance: ${name}`, () => {
    it("creates a key on first use and signs credentials its public key verifies", async () => {
      const { store, did } = await make();
      const key = await store.getSigningKey();
      expect(key.did).toBe(did);
      expect(key.kid.startsWith(`${did}#`)).toBe(true);
      const jwt = await signCredential(input(did), key);
      const [pub] = await store.listPublicKeys();
      expect(pub).toMatchObject({ kid: key.kid, active: true });
      await expect(compactVerify(jwt, await importJWK(pub!.publicJwk, "EdDSA"))).resolves.toBeTruthy();
    });

    it("returns the same key until rotated, and keeps old keys published", async () => {
      const { store } = await make();
      const a = await store.getSigningKey();
      expect((await store.getSigningKey()).kid).toBe(a.kid);
      const rotated = await store.rotate({ actorId: null });
      const b = await store.getSigningKey();
      expect(b.kid).toBe(rotated.kid);
      expect(b.kid).not.toBe(a.kid);
      const keys = await store.listPublicKeys();
      expect(keys.map((k) => [k.kid, k.active])).toEqual([
        [a.kid, false],
        [b.kid, true],
      ]);
    });

    it("announces the next key ahead (not published, signing nothing) and makes it the active one on rotation", async () => {
      const { store } = await make();
      const first = await store.getSigningKey();
      const next = await store.nextPublicKey();
      expect((await store.nextPublicKey()).kid).toBe(next.kid);
      expect(next.kid).not.toBe(first.kid);
      expect((await store.listPublicKeys()).map((k) => k.kid)).toEqual([first.kid]);
      expect((await store.getSigningKey()).kid).toBe(first.kid);
      const rotated = await store.rotate({ actorId: null });
      expect(rotated.kid).toBe(next.kid);
      expect((await store.getSigningKey()).kid).toBe(next.kid);
      expect((await store.listPublicKeys()).map((k) => [k.kid, k.active])).toEqual([
        [first.kid, false],
        [next.kid, true],
      ]);
      // A fresh next key is announced for the rotation after.
      expect((await store.nextPublicKey()).kid).not.toBe(next.kid);
      expect(JSON.stringify(await store.nextPublicKey())).not.toMatch(/"d"\s*:/);
    });

    it("distrusts a compromised key: the active one is rotated out first, it leaves the published keys and is never announced", async () => {
      const { store } = await make();
      const old = await store.getSigningKey();
      const announced = await store.nextPublicKey();
      await store.distrust({ kid: old.kid, actorId: null, reason: "laptop stolen" });
      const now = await store.getSigningKey();
      expect(now.kid).toBe(announced.kid);
      expect((await store.listPublicKeys()).map((k) => k.kid)).toEqual([announced.kid]);
      expect((await store.nextPublicKey()).kid).not.toBe(old.kid);
      expect(await store.listDistrustedKeys()).toEqual([expect.objectContaining({ kid: old.kid, reason: "laptop stolen" })]);
      // Distrusting the announced next key: a fresh one is announced instead.
      const next = await store.nextPublicKey();
      await store.distrust({ kid: next.kid, actorId: null, reason: "leaked" });
      expect((await store.nextPublicKey()).kid).not.toBe(next.kid);
      expect((await store.getSigningKey()).kid).toBe(announced.kid);
      await store.distrust({ kid: next.kid, actorId: null, reason: "again" });
      expect(await store.listDistrustedKeys()).toHaveLength(2);
    });

    it("never exposes private key material in what it lists", async () => {
      const { store } = await make();
      await store.getSigningKey();
      expect(JSON.stringify(await store.listPublicKeys())).not.toMatch(/"d"\s*:/);
    });
  });
}
