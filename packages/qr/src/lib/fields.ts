/**
 * Field encoders of compact mode: each turns one JSON value into the smallest CBOR value that
 * gives it back exactly, and each decoder refuses anything its encoder would not have produced
 * (so there is one payload per proof, and a changed byte cannot slip through as "the same").
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { b64uDecodeStrict, b64uEncode, didKeyFromEd25519, ed25519KeyFromDidKey, utf8Encode } from "./bytes";

/** Thrown by field decoders; the codec turns it into QrCorruptError. */
export class FieldError extends Error {}
/** Thrown by field encoders when a value has no compact form; the codec falls back to generic mode. */
export class NotCompactable extends Error {}

export type Cbor = null | number | string | Uint8Array | Cbor[];

export function fail(what: string): never {
  throw new FieldError(what);
}

export const isBytes = (v: unknown, len?: number): v is Uint8Array =>
  v instanceof Uint8Array && (len === undefined || v.length === len);

export function readString(v: unknown, what: string): string {
  return typeof v === "string" ? v : fail(what);
}
export function readOptString(v: unknown, what: string): string | undefined {
  return v === null ? undefined : readString(v, what);
}
export function readInt(v: unknown, what: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max ? v : fail(what);
}
export function readArray(v: unknown, what: string, min: number, max = min): unknown[] {
  return Array.isArray(v) && v.length >= min && v.length <= max ? v : fail(what);
}

// Times: seconds since 2025-01-01T00:00Z, as small integers (short in CBOR). Whole days (a cycle
// starts at midnight) take t = 8d, one second before midnight (valid until 23:59:59) t = 8d + 4,
// whole hours t = 4h + 2, any other second t = 2s + 1.
const TIME_EPOCH = 1735689600;
const DAY = 86400;
const HOUR = 3600;
const mod = (a: number, m: number): number => ((a % m) + m) % m;

export function encodeSeconds(v: number): number {
  if (!Number.isSafeInteger(v) || Math.abs(v) > 2 ** 40) throw new NotCompactable("time");
  if (mod(v, DAY) === 0) return (v / DAY) * 8;
  if (mod(v + 1, DAY) === 0) return ((v + 1) / DAY) * 8 + 4;
  if (mod(v, HOUR) === 0) return (v / HOUR) * 4 + 2;
  return v * 2 + 1;
}
export function decodeSeconds(t: unknown, what: string): number {
  const n = readInt(t, what, -(2 ** 43), 2 ** 43);
  let v: number;
  if (mod(n, 8) === 0) v = (n / 8) * DAY + 0; // + 0 turns -0 into 0
  else if (mod(n, 8) === 4) v = ((n - 4) / 8) * DAY - 1;
  else if (mod(n, 4) === 2) v = ((n - 2) / 4) * HOUR;
  else v = (n - 1) / 2;
  return Math.abs(v) <= 2 ** 40 && encodeSeconds(v) === n ? v : fail(`${what}: not canonical`);
}
export const encodeTime = (seconds: number): number => encodeSeconds(seconds - TIME_EPOCH);
export const decodeTime = (t: unknown, what: string): number => decodeSeconds(t, what) + TIME_EPOCH;

// DIDs. Issuers are did:web or did:key, holders did:key or did:jwk (model.ts); an Ed25519 did:key
// travels as its 32-byte key, the others as the text after their method prefix. An issuer the
// verifier already trusts can travel as a 4-byte reference (first bytes of SHA-256 of its DID).
export const ISSUER_REF_BYTES = 4;

export function issuerRef(did: string): Uint8Array {
  return sha256(utf8Encode(did)).subarray(0, ISSUER_REF_BYTES);
}

export function encodeDid(did: string, textMethod: "web" | "jwk", known?: readonly string[]): Cbor {
  if (known?.includes(did)) {
    const ref = issuerRef(did);
    const sameRef = known.filter((d) => equalBytes(issuerRef(d), ref));
    if (new Set(sameRef).size === 1) return ref;
  }
  const key = ed25519KeyFromDidKey(did);
  if (key) return key;
  const prefix = `did:${textMethod}:`;
  if (did.startsWith(prefix) && did.length > prefix.length) return did.slice(prefix.length);
  throw new NotCompactable("did");
}

/** Thrown when a reference names no issuer (or several) in the decoder's list. */
export class UnknownIssuerRef extends Error {}

export function decodeDid(v: unknown, textMethod: "web" | "jwk", what: string, known?: readonly string[]): string {
  if (isBytes(v, 32)) return didKeyFromEd25519(v);
  if (isBytes(v, ISSUER_REF_BYTES) && textMethod === "web") {
    const matches = [...new Set((known ?? []).filter((d) => equalBytes(issuerRef(d), v)))];
    if (matches.length !== 1) throw new UnknownIssuerRef(matches.length === 0 ? "no issuer" : "several issuers");
    return matches[0]!;
  }
  if (typeof v === "string" && v.length > 0) {
    const did = `did:${textMethod}:${v}`;
    if (ed25519KeyFromDidKey(did)) fail(`${what}: not canonical`);
    return did;
  }
  return fail(what);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `https://host/path/` of a did:web (did:web:example.org:programmes -> https://example.org/programmes/). */
export function didWebBase(did: string): string | undefined {
  if (!did.startsWith("did:web:")) return undefined;
  try {
    return `https://${did.slice(8).split(":").map(decodeURIComponent).join("/")}/`;
  } catch {
    return undefined;
  }
}

/** A URL under the issuer's did:web origin travels as [path]; any other URL as text. */
export function encodeUrl(url: string, issuer: string): Cbor {
  const base = didWebBase(issuer);
  return base && url.startsWith(base) && url.length > base.length ? [url.slice(base.length)] : url;
}
export function decodeUrl(v: unknown, issuer: string, what: string): string {
  if (typeof v === "string") {
    const base = didWebBase(issuer);
    if (base && v.startsWith(base) && v.length > base.length) fail(`${what}: not canonical`);
    return v;
  }
  const [rest] = readArray(v, what, 1);
  const base = didWebBase(issuer);
  if (!base) return fail(what);
  const path = readString(rest, what);
  return path.length > 0 ? base + path : fail(what);
}

/** The key id Haki derives for a DID (credentials/did.ts keyIdForDid; did:web issuers use key-1). */
export function defaultKeyFragment(did: string): string {
  if (did.startsWith("did:key:")) return did.slice("did:key:".length);
  if (did.startsWith("did:jwk:")) return "0";
  return "key-1";
}
/** Key id fragment: null when it is the default, 32 bytes when it is a base64url JWK thumbprint. */
export function encodeKeyFragment(did: string, fragment: string): Cbor {
  if (fragment === defaultKeyFragment(did)) return null;
  const b = fragment.length === 43 ? b64uDecodeStrict(fragment) : undefined;
  return b ?? fragment;
}
export function decodeKeyFragment(did: string, v: unknown, what: string): string {
  if (v === null) return defaultKeyFragment(did);
  if (isBytes(v, 32)) return b64uEncode(v);
  const s = readString(v, what);
  if (s === defaultKeyFragment(did) || (s.length === 43 && b64uDecodeStrict(s))) fail(`${what}: not canonical`);
  return s;
}

// Identifiers (jti, nonce): random base64url (Haki's one-time ids) goes as its bytes, a UUID
// (bare or urn:uuid:) as [1 or 2, 16 bytes], anything else as text.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
function uuidText(b: Uint8Array): string {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function uuidBytes(s: string): Uint8Array {
  const h = s.replaceAll("-", "");
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(h.slice(i * 2, i * 2 + 2), 16));
}

export function encodeId(id: string | undefined): Cbor {
  if (id === undefined) return null;
  if (id.startsWith("urn:uuid:") && UUID.test(id.slice(9))) return [1, uuidBytes(id.slice(9))];
  if (UUID.test(id)) return [2, uuidBytes(id)];
  const b = id.length >= 8 ? b64uDecodeStrict(id) : undefined;
  return b ?? id;
}
export function decodeId(v: unknown, what: string): string | undefined {
  if (v === null) return undefined;
  let id: string;
  if (typeof v === "string") id = v;
  else if (isBytes(v)) id = b64uEncode(v);
  else {
    const [kind, bytes] = readArray(v, what, 2);
    if ((kind !== 1 && kind !== 2) || !isBytes(bytes, 16)) return fail(what);
    id = (kind === 1 ? "urn:uuid:" : "") + uuidText(bytes);
  }
  const again = encodeId(id);
  const same =
    typeof v === "string" ? again === v : isBytes(v) ? isBytes(again) && equalBytes(again, v) : Array.isArray(again);
  return same ? id : fail(`${what}: not canonical`);
}

/** Money: whole units as 2u, else cents as 2c + 1, when that gives back the very same double. */
export function encodeAmount(amount: number): number {
  const cents = Math.round(amount * 100);
  if (!Number.isSafeInteger(cents) || cents / 100 !== amount || cents <= 0) throw new NotCompactable("amount");
  return cents % 100 === 0 ? (cents / 100) * 2 : cents * 2 + 1;
}
export function decodeAmount(v: unknown, what: string): number {
  const n = readInt(v, what, 1, 2e14);
  const amount = n % 2 === 0 ? n / 2 : (n - 1) / 2 / 100;
  return encodeAmount(amount) === n ? amount : fail(`${what}: not canonical`);
}

/**
 * ISO 4217 codes: the currencies of the countries social protection programmes like Haki serve
 * most often take one CBOR byte (index below 24); any other code is its letters in base 26, + 24.
 */
const COMMON_CURRENCIES = [
  "KES", "UGX", "TZS", "ETB", "NGN", "GHS", "ZAR", "USD", "EUR", "XOF", "XAF", "MZN",
  "MWK", "ZMW", "RWF", "SOS", "SDG", "CDF", "BDT", "PKR", "INR", "PHP", "IDR", "HTG",
];
export function encodeCurrency(code: string): number {
  if (!/^[A-Z]{3}$/.test(code)) throw new NotCompactable("currency");
  const i = COMMON_CURRENCIES.indexOf(code);
  return i >= 0 ? i : 24 + [...code].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 65), 0);
}
export function decodeCurrency(v: unknown, what: string): string {
  const n = readInt(v, what, 0, 24 + 26 ** 3 - 1);
  if (n < 24) return COMMON_CURRENCIES[n]!;
  const k = n - 24;
  const code = String.fromCharCode(65 + Math.floor(k / 676), 65 + (Math.floor(k / 26) % 26), 65 + (k % 26));
  return COMMON_CURRENCIES.includes(code) ? fail(`${what}: not canonical`) : code;
}
