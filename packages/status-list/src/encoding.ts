/**
 * The `encodedList` form of W3C Bitstring Status List v1.0 (§2.2, §3.3, §3.4): the bitstring,
 * GZIP-compressed (RFC 1952), then Multibase-encoded as base64url without padding, which is the
 * prefix `u` followed by RFC 4648 §5 characters.
 */
import { base64url } from "jose";
import { statusListFromBytes, MIN_STATUS_LIST_LENGTH, type StatusList } from "./bitstring";
import { StatusListLengthError, StatusListMalformedError, StatusListTooLargeError } from "./errors";
import { GunzipError, gunzipBounded, gzip } from "./lib/gzip";

/**
 * Default cap on a decoded list: 2 MiB, i.e. 16.7 million entries. A real 1,000,000-entry list
 * is 125,000 bytes; anything near the cap on a phone is a mistake or an attack.
 */
export const DEFAULT_MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024;

/** Multibase prefix of base64url without padding. */
const MULTIBASE_BASE64URL = "u";
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Encodes a list as the `encodedList` string of a status list credential.
 * The GZIP header is fixed (no timestamp), so equal lists give equal strings.
 *
 * @example
 * encodeStatusList(createStatusList()); // "uH4sIAAAAAAAC..." (about 40 characters for an empty list)
 */
export function encodeStatusList(list: StatusList): string {
  return MULTIBASE_BASE64URL + base64url.encode(gzip(list.bytes));
}

export interface DecodeOptions {
  /** Largest decompressed list accepted, in bytes. Defaults to {@link DEFAULT_MAX_STATUS_LIST_BYTES}. */
  maxBytes?: number;
  /** Smallest number of entries accepted (STATUS_LIST_LENGTH_ERROR). Defaults to 131,072. */
  minLength?: number;
}

/**
 * Decodes an `encodedList` string. Refuses, with a typed error, anything that is not exactly
 * `u` + base64url(GZIP(bitstring)), lists that expand past `maxBytes` (decompression bombs), and
 * lists shorter than the herd-privacy minimum.
 *
 * @throws StatusListMalformedError (ERR_STATUS_LIST_MALFORMED), StatusListTooLargeError
 *   (ERR_STATUS_LIST_TOO_LARGE), StatusListLengthError (ERR_STATUS_LIST_LENGTH)
 * @example
 * const list = decodeStatusList(vc.credentialSubject.encodedList, { maxBytes: 256 * 1024 });
 * getStatus(list, 94567);
 */
export function decodeStatusList(encoded: string, options: DecodeOptions = {}): StatusList {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STATUS_LIST_BYTES;
  const minLength = options.minLength ?? MIN_STATUS_LIST_LENGTH;
  if (typeof encoded !== "string" || !encoded.startsWith(MULTIBASE_BASE64URL)) {
    throw new StatusListMalformedError(
      'A status list must be multibase base64url text starting with "u".',
    );
  }
  const body = encoded.slice(1);
  if (!BASE64URL.test(body) || body.length % 4 === 1) {
    throw new StatusListMalformedError("A status list must be base64url without padding.");
  }
  // GZIP never shrinks a stream below about 1/1032 of its size, but it can grow a little: a
  // string much longer than the cap could only be a waste of this device's time.
  if (body.length > Math.ceil(((maxBytes + 1024) * 4) / 3)) throw new StatusListTooLargeError(maxBytes);

  let compressed: Uint8Array;
  try {
    compressed = base64url.decode(body);
  } catch (cause) {
    throw new StatusListMalformedError("A status list must be base64url without padding.", { cause });
  }
  let bytes: Uint8Array;
  try {
    bytes = gunzipBounded(compressed, maxBytes);
  } catch (cause) {
    if (cause instanceof GunzipError && cause.failure === "too-large") {
      throw new StatusListTooLargeError(maxBytes, { cause });
    }
    throw new StatusListMalformedError("The status list is not valid GZIP data; it may be cut short or altered.", {
      cause,
    });
  }
  if (bytes.length * 8 < minLength) {
    throw new StatusListLengthError(
      `A status list needs at least ${minLength} entries for privacy; this one has ${bytes.length * 8}.`,
    );
  }
  return statusListFromBytes(bytes, { minLength });
}
