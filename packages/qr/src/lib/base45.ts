/**
 * Base45 (RFC 9285): bytes as QR alphanumeric characters, 3 characters per 2 bytes.
 *
 * Written here rather than taken from npm because the published packages either need Node's
 * Buffer (`base45`) or accept non-canonical input (chunks above 65535, `base45-ts`), which RFC 9285
 * section 6 says a decoder must reject; a strict decoder is what lets a changed QR code fail early.
 * Not cryptography: a base conversion; tests check it against the RFC's vectors and `base45`.
 */

export const BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) LOOKUP[BASE45_ALPHABET.charCodeAt(i)] = i;

export function encodeBase45(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    let n = (bytes[i]! << 8) | bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += BASE45_ALPHABET[c]! + BASE45_ALPHABET[d]! + BASE45_ALPHABET[e]!;
  }
  if (i < bytes.length) {
    const n = bytes[i]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/** Why a base45 string was refused; the caller maps it to its own error. */
export type Base45Problem = "length" | "character" | "overflow";

export class Base45Error extends Error {
  constructor(readonly problem: Base45Problem) {
    super(`invalid base45 (${problem})`);
  }
}

export function decodeBase45(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new Base45Error("length");
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  const digit = (k: number): number => {
    const code = text.charCodeAt(k);
    const v = code < 128 ? LOOKUP[code]! : -1;
    if (v < 0) throw new Base45Error("character");
    return v;
  };
  let o = 0;
  let k = 0;
  for (; k + 2 < text.length; k += 3) {
    const n = digit(k) + digit(k + 1) * 45 + digit(k + 2) * 2025;
    if (n > 0xffff) throw new Base45Error("overflow");
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (k < text.length) {
    const n = digit(k) + digit(k + 1) * 45;
    if (n > 0xff) throw new Base45Error("overflow");
    out[o] = n;
  }
  return out;
}
