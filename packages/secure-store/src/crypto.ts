/**
 * Web Crypto building blocks of the secure store. Nothing here is home-made cryptography: PBKDF2,
 * AES-GCM and key wrapping are the browser's (or Node's) own `crypto.subtle`.
 *
 * The scheme: a PIN or password goes through PBKDF2-SHA-256 to an AES-GCM "wrapping key"; that key
 * only wraps one random AES-GCM-256 "data key"; the data key encrypts every record with a fresh
 * random 96-bit IV and the record's id as additional authenticated data (AAD), so a record copied
 * to another id, or to another profile, fails to open.
 */

/**
 * PBKDF2-SHA-256 iterations for new vaults and backups: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
 * Web Crypto runs it natively, so it costs well under a second on a desktop and about one to two
 * seconds on a low-end Android phone, paid once per unlock; the count is stored with each vault and
 * backup so it can be raised later without breaking old data.
 */
export const PBKDF2_ITERATIONS = 600_000;
/** Lower bound accepted when reading a vault or backup, so a tampered header cannot weaken it. */
export const MIN_PBKDF2_ITERATIONS = 100_000;

const SALT_BYTES = 16;
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Random bytes from the platform CSPRNG. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** A new random PBKDF2 salt. */
export function newSalt(): Uint8Array<ArrayBuffer> {
  return randomBytes(SALT_BYTES);
}

/**
 * Encodes bytes as base64url without padding.
 *
 * @example
 * toBase64Url(new Uint8Array([255])) // "_w"
 */
export function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64url (padding optional). Throws a `SyntaxError` on characters outside the alphabet.
 *
 * @example
 * fromBase64Url("_w") // Uint8Array [255]
 */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new SyntaxError("not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** UTF-8 bytes of a string (for AAD labels). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/**
 * Derives a non-extractable AES-GCM-256 key from a PIN or password with PBKDF2-SHA-256.
 *
 * @example
 * const kek = await deriveKeyFromSecret("482913", newSalt(), PBKDF2_ITERATIONS, ["wrapKey", "unwrapKey"]);
 */
export async function deriveKeyFromSecret(
  secret: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", utf8(secret.normalize("NFKC")), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    usages,
  );
}

/** Usages of a data key: it encrypts records and wraps other keys (holder private keys). */
export const DATA_KEY_USAGES: KeyUsage[] = ["encrypt", "decrypt", "wrapKey", "unwrapKey"];

/**
 * A new random AES-GCM-256 data key. Extractable only so that it can be wrapped once; keys unwrapped
 * for daily use are not extractable.
 *
 * @example
 * const dataKey = await generateDataKey();
 */
export async function generateDataKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, DATA_KEY_USAGES);
}

/** An AES-GCM ciphertext with its IV, both base64url. */
export interface Sealed {
  iv: string;
  ct: string;
}

/**
 * Encrypts bytes with AES-GCM under `key`, a fresh random IV, and `aad` bound in.
 *
 * @example
 * const sealed = await sealBytes(dataKey, utf8("hello"), "profile-1/credential/abc");
 */
export async function sealBytes(key: CryptoKey, plaintext: Uint8Array<ArrayBuffer>, aad: string): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(aad) }, key, plaintext);
  return { iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/**
 * Decrypts what `sealBytes` produced. Rejects (an `OperationError` from Web Crypto) when the key,
 * the AAD, the IV or a single ciphertext bit is wrong.
 *
 * @example
 * const bytes = await openBytes(dataKey, sealed, "profile-1/credential/abc");
 */
export async function openBytes(key: CryptoKey, sealed: Sealed, aad: string): Promise<Uint8Array<ArrayBuffer>> {
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64Url(sealed.iv), additionalData: utf8(aad) },
    key,
    fromBase64Url(sealed.ct),
  );
  return new Uint8Array(pt);
}

/**
 * Encrypts a JSON-serialisable value (see `sealBytes`).
 *
 * @example
 * const sealed = await sealJson(dataKey, { jwt }, "p1/credential/abc");
 */
export async function sealJson(key: CryptoKey, value: unknown, aad: string): Promise<Sealed> {
  return sealBytes(key, utf8(JSON.stringify(value)), aad);
}

/**
 * Decrypts a value sealed with `sealJson`; the caller validates its shape (zod) afterwards.
 *
 * @example
 * const value: unknown = await openJson(dataKey, sealed, "p1/credential/abc");
 */
export async function openJson(key: CryptoKey, sealed: Sealed, aad: string): Promise<unknown> {
  return JSON.parse(decoder.decode(await openBytes(key, sealed, aad))) as unknown;
}

/**
 * Wraps a key (raw for AES, pkcs8 for private keys) under `wrappingKey` with AES-GCM and `aad`.
 * The key bytes never reach JavaScript.
 *
 * @example
 * const wrapped = await wrapKeyGcm("pkcs8", holderPrivateKey, dataKey, "p1/key/k1");
 */
export async function wrapKeyGcm(
  format: "raw" | "pkcs8",
  key: CryptoKey,
  wrappingKey: CryptoKey,
  aad: string,
): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.wrapKey(format, key, wrappingKey, { name: "AES-GCM", iv, additionalData: utf8(aad) });
  return { iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/**
 * Unwraps a key wrapped by `wrapKeyGcm`; `extractable` false keeps it out of JavaScript's reach.
 *
 * @example
 * const sk = await unwrapKeyGcm("pkcs8", wrapped, dataKey, "p1/key/k1", { name: "Ed25519" }, false, ["sign"]);
 */
export async function unwrapKeyGcm(
  format: "raw" | "pkcs8",
  sealed: Sealed,
  wrappingKey: CryptoKey,
  aad: string,
  algorithm: AlgorithmIdentifier | AesKeyAlgorithm,
  extractable: boolean,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  return crypto.subtle.unwrapKey(
    format,
    fromBase64Url(sealed.ct),
    wrappingKey,
    { name: "AES-GCM", iv: fromBase64Url(sealed.iv), additionalData: utf8(aad) },
    algorithm,
    extractable,
    usages,
  );
}
