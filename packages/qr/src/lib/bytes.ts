/**
 * Byte helpers shared by the codec: base64url (JWS segments), UTF-8, did:key <-> raw Ed25519 key.
 * @scure/base does the base conversions (audited, no dependencies, works in browsers).
 */
import { base58, base64urlnopad } from "@scure/base";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export const utf8Encode = (s: string): Uint8Array => encoder.encode(s);
/** Throws on invalid UTF-8 (fatal decoder), so damaged text never turns into U+FFFD silently. */
export const utf8Decode = (b: Uint8Array): string => decoder.decode(b);

export const b64uEncode = (b: Uint8Array): string => base64urlnopad.encode(b);
/** Returns undefined unless `s` is canonical unpadded base64url (re-encodes to the same text). */
export function b64uDecodeStrict(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const b = base64urlnopad.decode(s);
    return base64urlnopad.encode(b) === s ? b : undefined;
  } catch {
    return undefined;
  }
}

/** Multicodec prefix of an Ed25519 public key (0xed, varint-encoded). */
const ED25519_PUB = [0xed, 0x01];

/** Raw 32-byte Ed25519 key of a `did:key:z6Mk...`, or undefined for any other DID. */
export function ed25519KeyFromDidKey(did: string): Uint8Array | undefined {
  if (!did.startsWith("did:key:z")) return undefined;
  try {
    const bytes = base58.decode(did.slice("did:key:z".length));
    if (bytes.length !== 34 || bytes[0] !== ED25519_PUB[0] || bytes[1] !== ED25519_PUB[1]) return undefined;
    const key = bytes.slice(2);
    return didKeyFromEd25519(key) === did ? key : undefined;
  } catch {
    return undefined;
  }
}

/** `did:key` of a raw 32-byte Ed25519 public key. */
export function didKeyFromEd25519(key: Uint8Array): string {
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB);
  bytes.set(key, 2);
  return `did:key:z${base58.encode(bytes)}`;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
