/**
 * c_nonces for the holder's key proofs (OpenID4VCI 1.0 section 7: the nonce endpoint). Two ways to
 * keep them single use:
 * - `createStoredNonces`: every nonce handed out is a row in the `OfferStore` (what the memory store
 *   and small deployments do). An anonymous caller can make as many rows as it has requests.
 * - `createSealedNonces`: a nonce carries its own expiry and an HMAC over it under a server secret,
 *   so handing one out stores nothing; only a nonce a credential request spends is written
 *   (`markUsed`, keyed by its digest, refused the second time) and kept until it expires. The rows
 *   are then bounded by the credential requests, which each need a valid single-use access token.
 */
import { base64url, base64urlDecode, randomBytes } from "./lib/crypto";
import { hashSecret, type OfferStore } from "./store";

export interface NonceService {
  /** Lifetime of a fresh nonce, in seconds (the nonce response's `c_nonce_expires_in`). */
  readonly ttlSeconds: number;
  /** A fresh nonce. */
  create(now: Date): Promise<string>;
  /** True once for a nonce this service made and that has not expired; false afterwards. */
  consume(nonce: string, now: Date): Promise<boolean>;
}

/**
 * Nonces kept as rows of the offer store (digests only).
 * @example
 * const nonces = createStoredNonces({ store });
 */
export function createStoredNonces(args: { store: OfferStore; ttlSeconds?: number; hashSecret?: (secret: string) => string | Promise<string> }): NonceService {
  const ttlSeconds = args.ttlSeconds ?? 300;
  const hash = args.hashSecret ?? hashSecret;
  return {
    ttlSeconds,
    async create(now) {
      const nonce = base64url(randomBytes(32));
      await args.store.saveNonce({ nonceHash: await hash(nonce), expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
      return nonce;
    },
    async consume(nonce, now) {
      return args.store.consumeNonce({ nonceHash: await hash(nonce), now });
    },
  };
}

const VERSION = 1;
const RANDOM_BYTES = 16;
/** HMAC-SHA-256 truncated to 128 bits (RFC 2104 section 5 allows half the output or more). */
const MAC_BYTES = 16;
const BODY_BYTES = 1 + 8 + RANDOM_BYTES;

/** Synchronous HMAC-SHA-256 (a server passes node:crypto's; the default is Web Crypto's). */
export type HmacSha256 = (key: Uint8Array, data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

function webCryptoHmac(): HmacSha256 {
  const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
  return async (key, data) => {
    let k = keys.get(key);
    if (!k) keys.set(key, (k = crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])));
    return new Uint8Array(await crypto.subtle.sign("HMAC", await k, data as BufferSource));
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Nonces that need no row until they are spent: `base64url(version | expiry (ms, 8 bytes) | 16
 * random bytes | HMAC-SHA-256-128 of those)`. `consume` checks the MAC (in constant time) and the
 * expiry, then `markUsed` records the digest: false when it was recorded before (a replay).
 * `secret` must be at least 32 random bytes and the same on every instance of the issuer.
 * @example
 * const nonces = createSealedNonces({ secret, markUsed: ({ nonceHash, expiresAt }) => db.insertUsedNonce(nonceHash, expiresAt) });
 */
export function createSealedNonces(args: {
  secret: Uint8Array;
  markUsed(args: { nonceHash: string; expiresAt: Date; now: Date }): Promise<boolean>;
  ttlSeconds?: number;
  hmac?: HmacSha256;
  hashSecret?: (secret: string) => string | Promise<string>;
}): NonceService {
  if (args.secret.length < 32) throw new RangeError("A nonce secret needs at least 32 bytes.");
  const ttlSeconds = args.ttlSeconds ?? 300;
  const hmac = args.hmac ?? webCryptoHmac();
  const hash = args.hashSecret ?? hashSecret;
  const mac = async (body: Uint8Array) => (await hmac(args.secret, body)).subarray(0, MAC_BYTES);
  return {
    ttlSeconds,
    async create(now) {
      const body = new Uint8Array(BODY_BYTES);
      body[0] = VERSION;
      new DataView(body.buffer).setBigUint64(1, BigInt(now.getTime() + ttlSeconds * 1000));
      body.set(randomBytes(RANDOM_BYTES), 9);
      const sealed = new Uint8Array(BODY_BYTES + MAC_BYTES);
      sealed.set(body);
      sealed.set(await mac(body), BODY_BYTES);
      return base64url(sealed);
    },
    async consume(nonce, now) {
      if (!/^[A-Za-z0-9_-]{55}$/.test(nonce)) return false;
      const sealed = base64urlDecode(nonce);
      if (sealed.length !== BODY_BYTES + MAC_BYTES || sealed[0] !== VERSION) return false;
      const body = sealed.subarray(0, BODY_BYTES);
      if (!equalBytes(await mac(body), sealed.subarray(BODY_BYTES))) return false;
      const expiresAt = Number(new DataView(sealed.buffer, sealed.byteOffset).getBigUint64(1));
      if (expiresAt <= now.getTime()) return false;
      return args.markUsed({ nonceHash: await hash(nonce), expiresAt: new Date(expiresAt), now });
    },
  };
}
