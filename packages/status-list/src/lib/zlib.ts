/**
 * ZLIB (RFC 1950) with fflate, with the guards a verifier needs on bytes from the network, as
 * gzip.ts does for GZIP: a hard cap on the expanded size (decompression bombs), the Adler-32
 * trailer check that fflate leaves to the caller, and nothing after the stream.
 */
import { Unzlib, zlibSync } from "fflate";
import { GunzipError, expandBounded } from "./gzip";

/** Compresses at the highest level, as the Token Status List draft recommends. */
export function zlib(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 });
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + 3800, bytes.length); // stays below 2^32 before the modulo
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Expands one ZLIB stream, refusing more than `maxBytes` of output and a wrong Adler-32. Throws GunzipError. */
export function unzlibBounded(input: Uint8Array, maxBytes: number): Uint8Array {
  if (input.length < 6 || (input[0]! & 0x0f) !== 8 || ((input[0]! << 8) | input[1]!) % 31 !== 0) {
    throw new GunzipError("malformed", "not a ZLIB stream");
  }
  const { out, ended } = expandBounded((ondata) => new Unzlib(ondata), input, maxBytes, "ZLIB");
  if (!ended) throw new GunzipError("malformed", "truncated ZLIB data");
  const t = input.length - 4;
  const trailer = ((input[t]! << 24) | (input[t + 1]! << 16) | (input[t + 2]! << 8) | input[t + 3]!) >>> 0;
  if (trailer !== adler32(out)) throw new GunzipError("malformed", "ZLIB checksum does not match the data");
  // fflate stops at the final block; anything between it and the trailer would go unnoticed.
  if (zlibStreamLength(input) !== input.length) throw new GunzipError("malformed", "bytes after the ZLIB stream");
  return out;
}

/** The length the stream needs: re-inflating one byte shorter (before the trailer) must fail. */
function zlibStreamLength(input: Uint8Array): number {
  try {
    const shorter = new Uint8Array(input.length - 1);
    shorter.set(input.subarray(0, input.length - 5));
    shorter.set(input.subarray(input.length - 4), input.length - 5);
    let ok = false;
    const s = new Unzlib((_c, final) => {
      if (final) ok = true;
    });
    s.push(shorter, true);
    return ok ? input.length - 1 : input.length;
  } catch {
    return input.length;
  }
}
