// The outer layers of a Claim 169 QR: base45 text -> compressed bytes -> CBOR.
import { decode as base45Decode, encode as base45Encode } from "base45-ts";
import { Tagged, decode as cborDecode } from "cborg";
import { unzlibSync } from "fflate";
import { Claim169Base45Error, Claim169CborError, Claim169DecompressError, Claim169TooLargeError } from "../errors";

/** A QR code holds at most 4,296 alphanumeric characters; anything longer is not a QR payload. */
export const MAX_TEXT_LENGTH = 4296;
/** Identity data with a small face image inflates to a few KiB; 128 KiB bounds a zip bomb. */
export const MAX_INFLATED_BYTES = 128 * 1024;

/**
 * Strict RFC 9285 base45: `base45-ts` decodes, and re-encoding must give the same text back, which
 * refuses the non-canonical triples (values above 65535) the library would silently wrap.
 */
export function decodeBase45Strict(text: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base45Decode(text);
  } catch (cause) {
    throw new Claim169Base45Error(undefined, { cause });
  }
  if (base45Encode(bytes) !== text) throw new Claim169Base45Error();
  return bytes;
}

/** zlib stream header (RFC 1950): deflate method, window <= 32 KiB, check bits. */
export function hasZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Claim 169 1.2.2: zlib when the zlib header is there, Brotli otherwise. The Brotli decoder
 * (with its 120 KB dictionary) is loaded only when a Brotli code is met, so the verifier's
 * first load does not pay for it.
 */
export async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  if (hasZlibHeader(bytes)) return inflateZlib(bytes);
  let out: Uint8Array;
  try {
    const { decompress } = await import("brotli/decompress");
    out = decompress(bytes, MAX_INFLATED_BYTES + 1) as Uint8Array;
  } catch (cause) {
    if (cause instanceof Error && /not large enough/.test(cause.message)) throw new Claim169TooLargeError(undefined, { cause });
    throw new Claim169DecompressError(undefined, { cause });
  }
  if (out.length > MAX_INFLATED_BYTES) throw new Claim169TooLargeError();
  if (out.length === 0) throw new Claim169DecompressError();
  return out;
}

export function inflateZlib(bytes: Uint8Array): Uint8Array {
  let out: Uint8Array;
  try {
    out = unzlibSync(bytes, { out: new Uint8Array(MAX_INFLATED_BYTES + 1) });
  } catch (cause) {
    throw new Claim169DecompressError(undefined, { cause });
  }
  if (out.length > MAX_INFLATED_BYTES) throw new Claim169TooLargeError();
  return out;
}

/** Every tag is kept as a `Tagged` value: an unknown tag inside the identity data is not fatal. */
const KEEP_EVERY_TAG = new Proxy({} as Record<number, (inner: () => unknown) => unknown>, {
  get: (_target, key) => (typeof key === "string" && /^\d+$/.test(key) ? Tagged.decoder(Number(key)) : undefined),
});

/**
 * Decodes one CBOR item: maps as `Map` (Claim 169 keys are integers), duplicate keys refused
 * (a second value could hide behind the first), no trailing bytes.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  try {
    return cborDecode(bytes, { useMaps: true, rejectDuplicateMapKeys: true, tags: KEEP_EVERY_TAG });
  } catch (cause) {
    throw new Claim169CborError(undefined, { cause });
  }
}

export { Tagged, base45Encode };
