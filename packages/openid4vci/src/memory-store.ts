import { constantTimeEqual, type OfferStore, type RedeemResult, type StoredAccessToken, type StoredOffer } from "./store";

interface OfferRow {
  offer: StoredOffer;
  used: boolean;
  wrongAttempts: number;
}

/**
 * An in-memory `OfferStore` for tests, demos and a single-process issuer. Every method runs to
 * completion without awaiting in between, so JavaScript's single thread makes each one atomic.
 * @example
 * const store = createMemoryOfferStore();
 * await store.createOffer({ offer });
 */
export function createMemoryOfferStore(): OfferStore {
  const offersById = new Map<string, OfferRow>();
  const offersByCode = new Map<string, OfferRow>();
  const tokens = new Map<string, StoredAccessToken & { used: boolean }>();
  const nonces = new Map<string, { expiresAt: Date; used: boolean }>();

  const activeToken = (tokenHash: string, now: Date) => {
    const token = tokens.get(tokenHash);
    if (!token || token.used || token.expiresAt.getTime() <= now.getTime()) return null;
    const row = offersById.get(token.offerId);
    return row ? { token, offer: row.offer } : null;
  };

  return {
    async createOffer({ offer }) {
      if (offersById.has(offer.id) || offersByCode.has(offer.codeHash)) {
        throw new Error(`An offer with id ${offer.id} or the same code already exists.`);
      }
      const row: OfferRow = { offer: { ...offer }, used: false, wrongAttempts: 0 };
      offersById.set(offer.id, row);
      offersByCode.set(offer.codeHash, row);
    },

    async redeemPreAuthorizedCode({ codeHash, txCodeHash, now, maxTxCodeAttempts }): Promise<RedeemResult> {
      const row = offersByCode.get(codeHash);
      if (!row) return { ok: false, reason: "unknown" };
      if (row.used) return { ok: false, reason: "already_used" };
      if (row.wrongAttempts >= maxTxCodeAttempts) return { ok: false, reason: "tx_code_locked" };
      if (row.offer.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
      if (row.offer.txCodeHash !== null) {
        if (txCodeHash === null) return { ok: false, reason: "tx_code_required" };
        if (!constantTimeEqual(row.offer.txCodeHash, txCodeHash)) {
          row.wrongAttempts += 1;
          const attemptsLeft = maxTxCodeAttempts - row.wrongAttempts;
          return attemptsLeft > 0 ? { ok: false, reason: "tx_code_wrong", attemptsLeft } : { ok: false, reason: "tx_code_locked" };
        }
      }
      row.used = true;
      return { ok: true, offer: { ...row.offer } };
    },

    async saveAccessToken({ token }) {
      tokens.set(token.tokenHash, { ...token, used: false });
    },

    async findAccessToken({ tokenHash, now }) {
      const found = activeToken(tokenHash, now);
      return found ? { ...found.offer } : null;
    },

    async consumeAccessToken({ tokenHash, now }) {
      const found = activeToken(tokenHash, now);
      if (!found) return null;
      found.token.used = true;
      return { ...found.offer };
    },

    async saveNonce({ nonceHash, expiresAt }) {
      nonces.set(nonceHash, { expiresAt, used: false });
    },

    async consumeNonce({ nonceHash, now }) {
      const nonce = nonces.get(nonceHash);
      if (!nonce || nonce.used || nonce.expiresAt.getTime() <= now.getTime()) return false;
      nonce.used = true;
      return true;
    },
  };
}
