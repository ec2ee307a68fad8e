/**
 * Storage seam for credential offers. The issuer keeps offers in its database (Prisma); tests and
 * demos use `createMemoryOfferStore`. Every implementation must pass `offerStoreConformance` from
 * `@haki/openid4vci/testing`.
 *
 * Stores never see a secret: pre-authorised codes, PINs, access tokens and nonces arrive as SHA-256
 * hex digests (`hashSecret`). A leaked table therefore cannot be replayed.
 */
import { constantTimeEqual as constantTimeEqualImpl, sha256Hex } from "./lib/crypto";

/** An offer as stored: what the issuer needs to sign the credential once the wallet proves a key. */
export interface StoredOffer {
  /** Issuer-chosen id (e.g. the entitlement id) passed back to `issueCredential`. */
  id: string;
  credentialConfigurationId: string;
  /** SHA-256 hex of the pre-authorised code. */
  codeHash: string;
  /** SHA-256 hex of the PIN, or null when the offer has none. */
  txCodeHash: string | null;
  expiresAt: Date;
}

/** Why redeeming a pre-authorised code failed. */
export type RedeemFailure =
  | { ok: false; reason: "unknown" }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "already_used" }
  | { ok: false; reason: "tx_code_required" }
  | { ok: false; reason: "tx_code_wrong"; attemptsLeft: number }
  | { ok: false; reason: "tx_code_locked" };

export type RedeemResult = { ok: true; offer: StoredOffer } | RedeemFailure;

/** An access token as stored (hash only), bound to the offer it was granted for. */
export interface StoredAccessToken {
  tokenHash: string;
  offerId: string;
  expiresAt: Date;
}

export interface OfferStore {
  /** Saves a new offer. Rejects if `id` or `codeHash` already exists. */
  createOffer(args: { offer: StoredOffer }): Promise<void>;
  /**
   * Atomically redeems a pre-authorised code: at most one caller ever gets `ok: true` for a code.
   * Checks, in order: known, not yet used, not locked, not expired, PIN present and right. A wrong
   * PIN counts an attempt; at `maxTxCodeAttempts` wrong PINs the offer is locked for good.
   */
  redeemPreAuthorizedCode(args: {
    codeHash: string;
    txCodeHash: string | null;
    now: Date;
    maxTxCodeAttempts: number;
  }): Promise<RedeemResult>;
  saveAccessToken(args: { token: StoredAccessToken }): Promise<void>;
  /**
   * Atomically marks an access token used and returns its offer; null if unknown, expired or already
   * used. One token buys one credential.
   */
  consumeAccessToken(args: { tokenHash: string; now: Date }): Promise<StoredOffer | null>;
  /** Looks an access token up without using it (null if unknown, expired or used). */
  findAccessToken(args: { tokenHash: string; now: Date }): Promise<StoredOffer | null>;
  saveNonce(args: { nonceHash: string; expiresAt: Date }): Promise<void>;
  /** Atomically uses a c_nonce: true once for a known, unexpired nonce, false afterwards. */
  consumeNonce(args: { nonceHash: string; now: Date }): Promise<boolean>;
}

/**
 * SHA-256 hex digest of a secret (code, PIN, token, nonce), as stores keep it.
 * @example
 * const codeHash = await hashSecret(preAuthorizedCode);
 */
export function hashSecret(secret: string): Promise<string> {
  return sha256Hex(secret);
}

/**
 * Constant-time comparison of two digests, for store implementations that compare PIN hashes.
 * @example
 * if (!constantTimeEqual(row.txCodeHash, args.txCodeHash)) countWrongAttempt();
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return constantTimeEqualImpl(a, b);
}
