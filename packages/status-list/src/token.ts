/**
 * IETF Token Status List (draft-ietf-oauth-status-list): the status mechanism of SD-JWT VC. A
 * Status List Token is a JWT (`typ: statuslist+jwt`) whose `status_list` claim holds `bits` per
 * referenced token (1, 2, 4 or 8) and `lst`, the base64url of the ZLIB-compressed byte array; the
 * referenced token points at it with `status: { status_list: { idx, uri } }`.
 *
 * Haki publishes a 2-bit list per pair of Bitstring lists, from the same bits: 0 valid, 1 invalid
 * (revoked), 2 suspended (revoked wins over suspended). Bit order: index 0 in the least
 * significant bits of byte 0 (the draft's order, unlike the W3C Bitstring list).
 * Pure TypeScript, Node and browsers (Web Crypto through jose, fflate).
 */
import { SignJWT, errors as joseErrors, importJWK, jwtVerify, type JWK } from "jose";
import * as z from "zod";
import { getStatus, type StatusList } from "./bitstring";
import type { Ed25519Key, StatusListSigningKey } from "./credential";
import { DEFAULT_MAX_STATUS_LIST_BYTES } from "./encoding";
import {
  StatusIndexOutOfRangeError,
  StatusListCredentialInvalidError,
  StatusListExpiredError,
  StatusListIssuerMismatchError,
  StatusListKeyError,
  StatusListLengthError,
  StatusListMalformedError,
  StatusListNotYetValidError,
  StatusListSignatureError,
  StatusListTooLargeError,
  StatusListUrlMismatchError,
  type StatusListError,
} from "./errors";
import { GunzipError } from "./lib/gzip";
import { unzlibBounded, zlib } from "./lib/zlib";

/** The JOSE `typ` of a Status List Token. */
export const STATUS_LIST_TOKEN_TYPE = "statuslist+jwt";
/** Status values the draft defines (0x03 is application-specific and unused by Haki). */
export const TOKEN_STATUS = { valid: 0, invalid: 1, suspended: 2 } as const;
export type TokenStatusBits = 1 | 2 | 4 | 8;

/** A Token Status List in memory. Treat as immutable; the functions below return new lists. */
export interface TokenStatusList {
  readonly bits: TokenStatusBits;
  /** Number of referenced tokens it can hold: bytes * 8 / bits. */
  readonly length: number;
  readonly bytes: Uint8Array;
}

const BITS = [1, 2, 4, 8] as const;
function checkBits(bits: number): asserts bits is TokenStatusBits {
  if (!(BITS as readonly number[]).includes(bits)) throw new StatusListMalformedError(`A token status list has 1, 2, 4 or 8 bits per entry, not ${bits}.`);
}
function checkIndex(list: TokenStatusList, index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= list.length) throw new StatusIndexOutOfRangeError(index, list.length);
}

/**
 * A list of `length` entries, all valid (0).
 *
 * @example
 * const list = createTokenStatusList(131_072); // 2 bits each: 32 KiB
 */
export function createTokenStatusList(length: number, bits: TokenStatusBits = 2): TokenStatusList {
  checkBits(bits);
  if (!Number.isSafeInteger(length) || length <= 0 || (length * bits) % 8 !== 0) {
    throw new StatusListLengthError(`A token status list holds a whole number of bytes: ${length} entries of ${bits} bits do not.`);
  }
  return { bits, length, bytes: new Uint8Array((length * bits) / 8) };
}

/**
 * Reads the status of one referenced token (0 to 2^bits - 1).
 *
 * @example
 * getTokenStatus(list, 1993); // 2 = suspended
 */
export function getTokenStatus(list: TokenStatusList, index: number): number {
  checkIndex(list, index);
  const bit = index * list.bits;
  return (list.bytes[bit >>> 3]! >>> (bit & 7)) & ((1 << list.bits) - 1);
}

/**
 * A copy of the list with entry `index` set to `status`.
 *
 * @example
 * const next = setTokenStatus(list, 42, TOKEN_STATUS.invalid);
 */
export function setTokenStatus(list: TokenStatusList, index: number, status: number): TokenStatusList {
  checkIndex(list, index);
  if (!Number.isInteger(status) || status < 0 || status >= 2 ** list.bits) throw new StatusListMalformedError(`Status ${status} does not fit in ${list.bits} bits.`);
  const bytes = Uint8Array.from(list.bytes);
  const bit = index * list.bits;
  const mask = ((1 << list.bits) - 1) << (bit & 7);
  bytes[bit >>> 3] = (bytes[bit >>> 3]! & ~mask) | (status << (bit & 7));
  return { bits: list.bits, length: list.length, bytes };
}

/**
 * The 2-bit Token Status List of a pair of Bitstring lists (same length, same index per
 * credential, as Haki issues them): 1 where the revocation bit is set, else 2 where the suspension
 * bit is set, else 0.
 *
 * @example
 * const token = tokenStatusListFromBitstrings({ revocation, suspension }); // @haki/status-list/bitstring lists
 */
export function tokenStatusListFromBitstrings(lists: { revocation: StatusList; suspension: StatusList }): TokenStatusList {
  const { revocation, suspension } = lists;
  if (revocation.length !== suspension.length) {
    throw new StatusListLengthError(`The revocation (${revocation.length}) and suspension (${suspension.length}) lists must be as long as each other.`);
  }
  const bytes = new Uint8Array(revocation.length / 4);
  // Only set bits need work: walk the bytes, most lists are nearly all zero.
  for (let b = 0; b < revocation.bytes.length; b++) {
    const r = revocation.bytes[b]!;
    const s = suspension.bytes[b]!;
    if ((r | s) === 0) continue;
    for (let k = 0; k < 8; k++) {
      const index = b * 8 + k;
      const status = getStatus(revocation, index) ? TOKEN_STATUS.invalid : getStatus(suspension, index) ? TOKEN_STATUS.suspended : TOKEN_STATUS.valid;
      if (status !== 0) bytes[index >>> 2] = bytes[index >>> 2]! | (status << ((index & 3) * 2));
    }
  }
  return { bits: 2, length: revocation.length, bytes };
}

const base64url = {
  encode: (b: Uint8Array) => {
    let s = "";
    for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
    return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  },
  decode: (s: string): Uint8Array | undefined => {
    if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
    const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  },
};

/** The JSON form of a Status List (the `status_list` claim). */
export const TokenStatusListJson = z.strictObject({
  bits: z.union(BITS.map((b) => z.literal(b))),
  lst: z.string().min(1),
});
export type TokenStatusListJson = z.infer<typeof TokenStatusListJson>;

/**
 * The `status_list` claim: `bits` and `lst` (base64url of the ZLIB-deflated bytes, level 9).
 *
 * @example
 * encodeTokenStatusList(list); // { bits: 2, lst: "eNrt..." }
 */
export function encodeTokenStatusList(list: TokenStatusList): TokenStatusListJson {
  return { bits: list.bits, lst: base64url.encode(zlib(list.bytes)) };
}

/**
 * Reads a `status_list` claim back into a list, refusing decompression bombs (`maxBytes`, default
 * 2 MiB) and malformed input (`ERR_STATUS_LIST_MALFORMED`).
 *
 * @example
 * const list = decodeTokenStatusList({ bits: 2, lst: "eNo76fITAAPfAgc" }); // 12 entries
 */
export function decodeTokenStatusList(json: unknown, options: { maxBytes?: number } = {}): TokenStatusList {
  const parsed = TokenStatusListJson.safeParse(json);
  if (!parsed.success) throw new StatusListMalformedError("A status list needs bits (1, 2, 4 or 8) and lst.", { cause: parsed.error });
  const compressed = base64url.decode(parsed.data.lst);
  if (!compressed) throw new StatusListMalformedError("lst is not base64url.");
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STATUS_LIST_BYTES;
  let bytes: Uint8Array;
  try {
    bytes = unzlibBounded(compressed, maxBytes);
  } catch (cause) {
    if (cause instanceof GunzipError && cause.failure === "too-large") throw new StatusListTooLargeError(maxBytes, { cause });
    throw new StatusListMalformedError(`lst is not a ZLIB-compressed list (${cause instanceof Error ? cause.message : "unreadable"}).`, { cause });
  }
  if (bytes.length === 0) throw new StatusListMalformedError("The status list is empty.");
  const bits = parsed.data.bits as TokenStatusBits;
  return { bits, length: (bytes.length * 8) / bits, bytes };
}

/** The claims of a Status List Token (JWT). */
export const StatusListTokenPayload = z.object({
  /** The URI of this Status List Token, as the referenced tokens' `status.status_list.uri`. */
  sub: z.url(),
  iss: z.string().min(1).optional(),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive().optional(),
  /** Seconds a verifier may cache the token before fetching it again. */
  ttl: z.number().int().positive().optional(),
  status_list: TokenStatusListJson,
});
export type StatusListTokenPayload = z.infer<typeof StatusListTokenPayload>;

/** A referenced token's `status` claim (SD-JWT VC, and any JWT). */
export const TokenStatusReference = z.object({
  status_list: z.object({ idx: z.number().int().nonnegative(), uri: z.url() }),
});
export type TokenStatusReference = z.infer<typeof TokenStatusReference>;

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * The claims of a Status List Token for `list`, published at `uri`.
 *
 * @example
 * const payload = buildStatusListToken({ uri: "https://issuer.example/status/1/token", issuer: "https://issuer.example",
 *   list, validUntil: tomorrow, ttlSeconds: 3600 });
 */
export function buildStatusListToken(input: {
  uri: string;
  list: TokenStatusList;
  issuer?: string;
  issuedAt?: Date;
  validUntil?: Date;
  ttlSeconds?: number;
}): StatusListTokenPayload {
  const iat = seconds(input.issuedAt ?? new Date());
  const payload = StatusListTokenPayload.safeParse({
    sub: input.uri,
    ...(input.issuer !== undefined ? { iss: input.issuer } : {}),
    iat,
    ...(input.validUntil ? { exp: seconds(input.validUntil) } : {}),
    ...(input.ttlSeconds !== undefined ? { ttl: input.ttlSeconds } : {}),
    status_list: encodeTokenStatusList(input.list),
  });
  if (!payload.success) throw new StatusListCredentialInvalidError("The status list token input is invalid.", { cause: payload.error });
  if (payload.data.exp !== undefined && payload.data.exp <= iat) throw new StatusListCredentialInvalidError("validUntil must be after issuedAt.");
  return payload.data;
}

/**
 * Signs Status List Token claims with a Haki key pair (EdDSA / Ed25519, `typ: statuslist+jwt`, the
 * pair's `kid`).
 *
 * @example
 * const jwt = await signStatusListToken(buildStatusListToken({ uri, list }), issuerKeyPair);
 */
export async function signStatusListToken(payload: StatusListTokenPayload, key: StatusListSigningKey): Promise<string> {
  const parsed = StatusListTokenPayload.safeParse(payload);
  if (!parsed.success) throw new StatusListCredentialInvalidError("The status list token is invalid.", { cause: parsed.error });
  if (!key?.privateKey || typeof key.kid !== "string") throw new StatusListKeyError("Signing needs a key pair with kid and privateKey.");
  return new SignJWT(parsed.data as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: "EdDSA", typ: STATUS_LIST_TOKEN_TYPE, kid: key.kid })
    .sign(key.privateKey);
}

/** A Status List Token whose signature, type, dates and shape were checked. */
export interface VerifiedStatusListToken {
  uri: string;
  issuer?: string;
  list: TokenStatusList;
  issuedAt: Date;
  validUntil?: Date;
  ttlSeconds?: number;
  payload: StatusListTokenPayload;
}

async function publicKey(key: Ed25519Key): Promise<CryptoKey> {
  if (typeof (key as CryptoKey).type === "string" && typeof (key as CryptoKey).algorithm === "object") {
    const k = key as CryptoKey;
    if (k.algorithm.name !== "Ed25519" || k.type !== "public") throw new StatusListKeyError("A status list token is checked with an Ed25519 public key.");
    return k;
  }
  const jwk = key as JWK;
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new StatusListKeyError("A status list token is checked with an Ed25519 public key.");
  try {
    return (await importJWK({ kty: "OKP", crv: "Ed25519", x: jwk.x }, "EdDSA")) as CryptoKey;
  } catch (cause) {
    throw new StatusListKeyError("The Ed25519 key could not be read.", { cause });
  }
}

function joseFailure(cause: unknown): StatusListError {
  if (cause instanceof joseErrors.JWSSignatureVerificationFailed || cause instanceof joseErrors.JOSEAlgNotAllowed) return new StatusListSignatureError({ cause });
  if (cause instanceof joseErrors.JWTExpired) {
    return new StatusListExpiredError(typeof cause.payload.exp === "number" ? new Date(cause.payload.exp * 1000) : new Date(0), { cause });
  }
  if (cause instanceof joseErrors.JWTClaimValidationFailed && cause.claim === "typ") {
    return new StatusListCredentialInvalidError(`This is not a status list token (typ must be ${STATUS_LIST_TOKEN_TYPE}).`, { cause });
  }
  if (cause instanceof joseErrors.JWTClaimValidationFailed && (cause.claim === "nbf" || cause.claim === "iat")) return new StatusListNotYetValidError({ cause });
  return new StatusListCredentialInvalidError("This is not a readable status list token.", { cause });
}

/**
 * Verifies a Status List Token with the issuer's public key (EdDSA only: a MAC or `none` is
 * refused), its `typ`, dates and claims, then decodes the list.
 *
 * @throws StatusListSignatureError, StatusListExpiredError, StatusListNotYetValidError,
 *   StatusListCredentialInvalidError (wrong typ or claims), StatusListUrlMismatchError,
 *   StatusListIssuerMismatchError, and the decoding errors of {@link decodeTokenStatusList}.
 * @example
 * const verified = await verifyStatusListToken(jwt, issuerPublicJwk, { uri: reference.status_list.uri });
 * getTokenStatus(verified.list, reference.status_list.idx); // 0 valid, 1 revoked, 2 suspended
 */
export async function verifyStatusListToken(
  jwt: string,
  key: Ed25519Key,
  options: { uri?: string; issuer?: string; now?: Date; clockToleranceSeconds?: number; maxBytes?: number } = {},
): Promise<VerifiedStatusListToken> {
  const k = await publicKey(key);
  if (typeof jwt !== "string" || jwt.trim().split(".").length !== 3) throw new StatusListCredentialInvalidError("This is not a signed status list token (a JWT has three parts).");
  const now = options.now ?? new Date();
  const tolerance = options.clockToleranceSeconds ?? 300;
  let claims: unknown;
  try {
    ({ payload: claims } = await jwtVerify(jwt.trim(), k, { algorithms: ["EdDSA", "Ed25519"], typ: STATUS_LIST_TOKEN_TYPE, currentDate: now, clockTolerance: tolerance }));
  } catch (cause) {
    throw joseFailure(cause);
  }
  const parsed = StatusListTokenPayload.safeParse(claims);
  if (!parsed.success) throw new StatusListCredentialInvalidError("The status list token's claims are invalid.", { cause: parsed.error });
  const p = parsed.data;
  if (p.iat > seconds(now) + tolerance) throw new StatusListNotYetValidError();
  if (options.uri !== undefined && p.sub !== options.uri) throw new StatusListUrlMismatchError(options.uri, p.sub);
  if (options.issuer !== undefined && p.iss !== undefined && p.iss !== options.issuer) throw new StatusListIssuerMismatchError(options.issuer, p.iss);
  return {
    uri: p.sub,
    ...(p.iss !== undefined ? { issuer: p.iss } : {}),
    list: decodeTokenStatusList(p.status_list, options),
    issuedAt: new Date(p.iat * 1000),
    ...(p.exp !== undefined ? { validUntil: new Date(p.exp * 1000) } : {}),
    ...(p.ttl !== undefined ? { ttlSeconds: p.ttl } : {}),
    payload: p,
  };
}

/** A verified token a verifier keeps, with when it was fetched (for `ttl`). */
export interface CachedStatusListToken extends Pick<VerifiedStatusListToken, "uri" | "list" | "validUntil" | "ttlSeconds"> {
  fetchedAt: Date;
}

/**
 * `(reference) => status`: 0 valid, 1 revoked, 2 suspended, or undefined when no fresh list for
 * that URI is held (past its `exp`, or older than its `ttl`). An index outside the list throws
 * `ERR_STATUS_INDEX_OUT_OF_RANGE` (the token and the list disagree).
 *
 * @example
 * const status = createTokenStatusLookup([{ ...verified, fetchedAt: new Date() }]);
 * status(sdJwtPayload.status); // 0
 */
export function createTokenStatusLookup(
  tokens: Iterable<CachedStatusListToken>,
  options: { now?: () => Date } = {},
): (reference: TokenStatusReference) => number | undefined {
  const held = [...tokens];
  const clock = options.now ?? (() => new Date());
  return (reference) => {
    const { idx, uri } = TokenStatusReference.parse(reference).status_list;
    const now = clock().getTime();
    const fresh = held
      .filter((t) => t.uri === uri && (t.validUntil === undefined || now < t.validUntil.getTime()) && (t.ttlSeconds === undefined || now < t.fetchedAt.getTime() + t.ttlSeconds * 1000))
      .sort((a, b) => b.fetchedAt.getTime() - a.fetchedAt.getTime())[0];
    return fresh ? getTokenStatus(fresh.list, idx) : undefined;
  };
}
