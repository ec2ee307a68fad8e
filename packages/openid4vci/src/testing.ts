/**
 * Shared conformance suite for `OfferStore` implementations. Run it from the implementation's own
 * test file, with a factory that returns a fresh, empty store each time.
 * @example
 * import { offerStoreConformance } from "@haki/openid4vci/testing";
 * offerStoreConformance(async () => createPrismaOfferStore(await freshDb()), { name: "prisma" });
 */
import { describe, expect, it } from "vitest";
import type { OfferStore, StoredOffer } from "./store";
import { hashSecret } from "./store";

const T0 = new Date("2027-03-01T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

async function makeOffer(id: string, code: string, pin: string | null, expiresAt = minutes(30)): Promise<StoredOffer> {
  return {
    id,
    credentialConfigurationId: "EntitlementCredential_jwt_vc_json",
    codeHash: await hashSecret(code),
    txCodeHash: pin === null ? null : await hashSecret(pin),
    expiresAt,
  };
}

/**
 * Registers a `describe` block that checks an `OfferStore` keeps its promises: single use (also
 * under concurrent redemptions), expiry, PIN attempts and lock, access tokens and nonces.
 * @example
 * offerStoreConformance(() => createMemoryOfferStore(), { name: "memory" });
 */
export function offerStoreConformance(makeStore: () => OfferStore | Promise<OfferStore>, options: { name?: string } = {}): void {
  describe(`OfferStore conformance${options.name ? `: ${options.name}` : ""}`, () => {
    const redeem = async (store: OfferStore, code: string, pin: string | null, now = T0, max = 3) =>
      store.redeemPreAuthorizedCode({
        codeHash: await hashSecret(code),
        txCodeHash: pin === null ? null : await hashSecret(pin),
        now,
        maxTxCodeAttempts: max,
      });

    it("redeems a code once and returns the offer", async () => {
      const store = await makeStore();
      const offer = await makeOffer("ent-1", "code-1", null);
      await store.createOffer({ offer });
      const first = await redeem(store, "code-1", null);
      expect(first).toEqual({ ok: true, offer });
      expect(await redeem(store, "code-1", null)).toEqual({ ok: false, reason: "already_used" });
    });

    it("lets only one of many concurrent redemptions win", async () => {
      const store = await makeStore();
      await store.createOffer({ offer: await makeOffer("ent-race", "code-race", null) });
      const results = await Promise.all(Array.from({ length: 8 }, () => redeem(store, "code-race", null)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === "already_used")).toHaveLength(7);
    });

    it("rejects a duplicate offer id or code", async () => {
      const store = await makeStore();
      await store.createOffer({ offer: await makeOffer("ent-dup", "code-dup", null) });
      await expect(store.createOffer({ offer: await makeOffer("ent-dup", "code-other", null) })).rejects.toThrow();
      await expect(store.createOffer({ offer: await makeOffer("ent-other", "code-dup", null) })).rejects.toThrow();
    });

    it("answers unknown for a code it never saw", async () => {
      const store = await makeStore();
      expect(await redeem(store, "nope", null)).toEqual({ ok: false, reason: "unknown" });
    });

    it("refuses an expired offer, even one second late", async () => {
      const store = await makeStore();
      await store.createOffer({ offer: await makeOffer("ent-exp", "code-exp", null, minutes(10)) });
      expect(await redeem(store, "code-exp", null, new Date(minutes(10).getTime() + 1000))).toEqual({ ok: false, reason: "expired" });
      expect((await redeem(store, "code-exp", null, minutes(9))).ok).toBe(true);
    });

    it("asks for the PIN, counts wrong ones, then locks the offer", async () => {
      const store = await makeStore();
      await store.createOffer({ offer: await makeOffer("ent-pin", "code-pin", "493817") });
      expect(await redeem(store, "code-pin", null)).toEqual({ ok: false, reason: "tx_code_required" });
      expect(await redeem(store, "code-pin", "000000")).toEqual({ ok: false, reason: "tx_code_wrong", attemptsLeft: 2 });
      expect(await redeem(store, "code-pin", "111111")).toEqual({ ok: false, reason: "tx_code_wrong", attemptsLeft: 1 });
      expect(await redeem(store, "code-pin", "222222")).toEqual({ ok: false, reason: "tx_code_locked" });
      // Locked for good: even the right PIN no longer works.
      expect(await redeem(store, "code-pin", "493817")).toEqual({ ok: false, reason: "tx_code_locked" });
    });

    it("accepts the right PIN after a wrong one", async () => {
      const store = await makeStore();
      await store.createOffer({ offer: await makeOffer("ent-pin2", "code-pin2", "493817") });
      expect((await redeem(store, "code-pin2", "000000")).ok).toBe(false);
      expect((await redeem(store, "code-pin2", "493817")).ok).toBe(true);
    });

    it("binds an access token to its offer, single use, with expiry", async () => {
      const store = await makeStore();
      const offer = await makeOffer("ent-tok", "code-tok", null);
      await store.createOffer({ offer });
      const tokenHash = await hashSecret("token-1");
      await store.saveAccessToken({ token: { tokenHash, offerId: offer.id, expiresAt: minutes(5) } });
      expect((await store.findAccessToken({ tokenHash, now: T0 }))?.id).toBe("ent-tok");
      expect(await store.findAccessToken({ tokenHash, now: minutes(6) })).toBeNull();
      expect(await store.consumeAccessToken({ tokenHash, now: minutes(6) })).toBeNull();
      expect((await store.consumeAccessToken({ tokenHash, now: T0 }))?.id).toBe("ent-tok");
      expect(await store.consumeAccessToken({ tokenHash, now: T0 })).toBeNull();
      expect(await store.findAccessToken({ tokenHash, now: T0 })).toBeNull();
      expect(await store.findAccessToken({ tokenHash: await hashSecret("other"), now: T0 })).toBeNull();
    });

    it("uses a nonce once and not after it expires", async () => {
      const store = await makeStore();
      const a = await hashSecret("nonce-a");
      const b = await hashSecret("nonce-b");
      await store.saveNonce({ nonceHash: a, expiresAt: minutes(5) });
      await store.saveNonce({ nonceHash: b, expiresAt: minutes(5) });
      expect(await store.consumeNonce({ nonceHash: a, now: T0 })).toBe(true);
      expect(await store.consumeNonce({ nonceHash: a, now: T0 })).toBe(false);
      expect(await store.consumeNonce({ nonceHash: b, now: minutes(5) })).toBe(false);
      expect(await store.consumeNonce({ nonceHash: await hashSecret("never"), now: T0 })).toBe(false);
    });
  });
}
