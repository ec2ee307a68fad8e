/**
 * GZIP (RFC 1952) with fflate, plus the guards a verifier needs on bytes from the network:
 * a hard cap on the expanded size (decompression bombs) and the CRC-32 / ISIZE trailer check
 * that fflate leaves to the caller (truncated or altered lists).
 */
import { Gunzip, gzipSync } from "fflate";

/** Why a GZIP stream was refused. */
export type GunzipFailure = "too-large" | "malformed";

export class GunzipError extends Error {
  constructor(
    readonly failure: GunzipFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Compresses with a fixed header (mtime 0, no file name) so the same list always encodes to the
 * same string: issuers can compare and cache published lists byte for byte.
 */
export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 9, mtime: 0 });
}

// Input is fed in small slices so one push can expand to at most about 1 MB (DEFLATE's ratio
// is bounded near 1032:1): the cap is enforced before a bomb can fill memory.
const SLICE = 1024;

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = (crcTable[(crc ^ b) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const readU32le = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;

/**
 * Expands one GZIP member, refusing more than `maxBytes` of output, several members, and
 * streams whose trailer (CRC-32, length) does not match what was expanded.
 */
export function gunzipBounded(input: Uint8Array, maxBytes: number): Uint8Array {
  if (input.length < 18 || input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 8) {
    throw new GunzipError("malformed", "not a GZIP stream");
  }
  // The trailer's ISIZE is the length mod 2^32: a cheap early refusal of honest large lists.
  const declaredSize = readU32le(input, input.length - 4);
  if (declaredSize > maxBytes) throw new GunzipError("too-large", `declares ${declaredSize} bytes`);

  const { out, total } = expandBounded(
    (ondata) => {
      const stream = new Gunzip(ondata);
      stream.onmember = () => {
        throw new GunzipError("malformed", "several GZIP members");
      };
      return stream;
    },
    input,
    maxBytes,
    "GZIP",
  );
  if (declaredSize !== total % 2 ** 32 || readU32le(input, input.length - 8) !== crc32(out)) {
    throw new GunzipError("malformed", "GZIP checksum or length does not match the data");
  }
  return out;
}

/**
 * Feeds `input` to an fflate inflating stream in small slices, counting the output and refusing
 * more than `maxBytes` as it goes (shared by the GZIP and ZLIB readers). Throws GunzipError.
 */
export function expandBounded(
  makeStream: (ondata: (chunk: Uint8Array, final: boolean) => void) => { push(data: Uint8Array, final?: boolean): void },
  input: Uint8Array,
  maxBytes: number,
  what: string,
): { out: Uint8Array; total: number; ended: boolean } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const stream = makeStream((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw new GunzipError("too-large", `expands past ${maxBytes} bytes`);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < input.length; at += SLICE) {
      const end = Math.min(at + SLICE, input.length);
      stream.push(input.subarray(at, end), end === input.length);
    }
  } catch (cause) {
    if (cause instanceof GunzipError) throw cause;
    throw new GunzipError("malformed", `corrupt ${what} data`, { cause });
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return { out, total, ended };
}
