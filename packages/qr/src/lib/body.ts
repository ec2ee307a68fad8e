/**
 * The body of a Haki QR payload, byte by byte: the head byte (mode and flags), what differs
 * between format versions, the optional-field mask, CBOR packing and reading, and the checked
 * inflate. `../codec` composes these into encodeProof / decodeProof.
 */
import { decode as cborDecode, encode as cborEncode } from "cborg";
import { deflateSync, inflateSync } from "fflate";
import { QrCorruptError, QrTruncatedError } from "../errors";
import { concatBytes } from "./bytes";
import { FIELDS_V1, FIELDS_V2, type CredentialVariant, type FieldProfile } from "./credential-form";
import { COMPACT_DICTIONARY, COMPACT_DICTIONARY_V2, GENERIC_DICTIONARY, GENERIC_DICTIONARY_V2 } from "./dictionary";
import { FieldError, isBytes, type Cbor } from "./fields";
import { PRESENTATION_FIELD_COUNT } from "./presentation-form";

/** Every Haki QR payload the encoder writes starts with this: "HK", the format version, ":". */
export const PROOF_PREFIX = "HK2:";
/** Format 1, still read: the paper cards printed before format 2. */
export const LEGACY_PROOF_PREFIX = "HK1:";
const MAX_INFLATED_BYTES = 16_384;
export const SIGNATURE_BYTES = 64;

/**
 * The head byte: the mode in the low two bits, then one bit a flag.
 *
 *   bit  7        6   5              4    3           2           1-0
 *        deflated -   legacyContexts vc2  holderKey   issuerKey   mode
 */
export const MODE = { credential: 1, presentation: 2, generic: 3, mask: 0x03 } as const;
export const FLAG = {
  issuerKey: 0x04,
  holderKey: 0x08,
  /** Format 2: the credential is VC 2.0 (`vc+jwt`, presentation `vp+jwt`). */
  vc2: 0x10,
  /** Format 2: a VC 1.1 card with the two contexts of the first cards (no status context). */
  legacyContexts: 0x20,
  deflated: 0x80,
} as const;
export const KEY_BYTES = 32;

/**
 * What differs between payload format versions: the field encodings, the dictionaries, the head
 * bits they use and how the optional-field mask reads. Format 1 only knew VC 1.1 cards with two
 * contexts; format 2 reads both VC formats.
 */
export interface FormatVersion {
  prefix: string;
  fields: FieldProfile;
  compactDictionary: Uint8Array;
  genericDictionary: Uint8Array;
  knownBits: number;
  /** Positions of the optional fields, in mask bit order. */
  credentialOptional: readonly number[];
  presentationOptional: readonly number[];
}

/**
 * Fields that are often empty (null) do not take a byte each: the CBOR array starts with a bit mask
 * of which of them are present, in this order. Format 1 listed every optional field; format 2 lists
 * only the usually absent ones (service points, an explicit suspension list, iat, a did:jwk holder,
 * the programme name when referenced; a presentation's presenter, aud, nonce, key id), so the mask
 * of a real proof is 0 to 23, one CBOR byte, and a rarely absent field costs a null when it is.
 */
const V1_CREDENTIAL_OPTIONAL = [8, 14, 15, 17, 3, 6, 0, 1, 2];
const V2_CREDENTIAL_OPTIONAL = [15, 17, 6, 2, 10];

export const VERSIONS: Record<string, FormatVersion> = {
  [LEGACY_PROOF_PREFIX]: {
    prefix: LEGACY_PROOF_PREFIX,
    fields: FIELDS_V1,
    compactDictionary: COMPACT_DICTIONARY,
    genericDictionary: GENERIC_DICTIONARY,
    knownBits: MODE.mask | FLAG.issuerKey | FLAG.holderKey | FLAG.deflated,
    credentialOptional: V1_CREDENTIAL_OPTIONAL,
    // Format 1 listed the credential's fields first, then the presentation's own.
    presentationOptional: [...V1_CREDENTIAL_OPTIONAL.map((i) => i + PRESENTATION_FIELD_COUNT), 0, 1, 2, 5],
  },
  [PROOF_PREFIX]: {
    prefix: PROOF_PREFIX,
    fields: FIELDS_V2,
    compactDictionary: COMPACT_DICTIONARY_V2,
    genericDictionary: GENERIC_DICTIONARY_V2,
    knownBits: MODE.mask | FLAG.issuerKey | FLAG.holderKey | FLAG.vc2 | FLAG.legacyContexts | FLAG.deflated,
    credentialOptional: V2_CREDENTIAL_OPTIONAL,
    // The presentation's own usually absent fields (presenter, aud, nonce, default key id) first.
    presentationOptional: [1, 2, 5, 0, ...V2_CREDENTIAL_OPTIONAL.map((i) => i + PRESENTATION_FIELD_COUNT)],
  },
};
export const CURRENT = VERSIONS[PROOF_PREFIX]!;

function elideNulls(fields: readonly Cbor[], optional: readonly number[]): Cbor[] {
  let mask = 0;
  optional.forEach((pos, bit) => {
    if (fields[pos] !== null) mask |= 1 << bit;
  });
  return [mask, ...fields.filter((v, i) => v !== null || !optional.includes(i))];
}

/** `count` fields with the optional ones restored, then at most `trailing` more (a bound card's binding). */
export function restoreNulls(packed: unknown, optional: readonly number[], count: number, trailing = 0): unknown[] {
  if (!Array.isArray(packed) || packed.length < 1) throw new FieldError("fields");
  const [mask, ...present] = packed as unknown[];
  if (typeof mask !== "number" || !Number.isInteger(mask) || mask < 0 || mask >= 2 ** optional.length) {
    throw new FieldError("field mask");
  }
  const out: unknown[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const bit = optional.indexOf(i);
    if (bit >= 0 && (mask & (1 << bit)) === 0) out.push(null);
    else {
      if (next >= present.length) throw new FieldError("fields missing");
      const v = present[next++];
      if (v === null && bit >= 0) throw new FieldError("null marked present");
      out.push(v);
    }
  }
  if (present.length - next > trailing) throw new FieldError("extra fields");
  for (; next < present.length; next++) {
    if (present[next] === null) throw new FieldError("null trailing field");
    out.push(present[next]);
  }
  return out;
}

const CBOR_DECODE_OPTIONS = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: false,
  rejectDuplicateMapKeys: true,
  useMaps: true,
} as const;

export function packCbor(
  version: FormatVersion,
  head: number,
  fixed: Uint8Array[],
  fields: Cbor[],
  credentialAt = -1,
): Uint8Array {
  const mode = head & MODE.mask;
  const raw: Uint8Array[] = [];
  if (credentialAt >= 0) {
    // Keys are random bytes: deflate cannot shrink them, so they go beside the compressed part.
    fields = [...fields];
    for (const [offset, flag] of [[1, FLAG.issuerKey], [2, FLAG.holderKey]] as const) {
      const v = fields[credentialAt + offset];
      if (isBytes(v, KEY_BYTES)) {
        raw.push(v);
        fields[credentialAt + offset] = null;
        head |= flag;
      }
    }
  }
  if (mode !== MODE.generic) {
    fields = elideNulls(fields, mode === MODE.credential ? version.credentialOptional : version.presentationOptional);
  }
  const cbor = cborEncode(fields);
  const dictionary = mode === MODE.generic ? version.genericDictionary : version.compactDictionary;
  const deflated = deflateSync(cbor, { level: 9, dictionary });
  return deflated.length < cbor.length && !endsEarly(deflated, dictionary)
    ? concatBytes(Uint8Array.of(head | FLAG.deflated), ...fixed, ...raw, deflated)
    : concatBytes(Uint8Array.of(head), ...fixed, ...raw, cbor);
}

export const variantBits = (v: CredentialVariant): number => (v.format === "vc2" ? FLAG.vc2 : 0) | (v.legacyContexts ? FLAG.legacyContexts : 0);

/**
 * Deflate stops at its final block and ignores what follows, so bytes appended to a payload would
 * go unnoticed. A stream is accepted only if it needs its last byte (fflate fails, or gives other
 * output, on a stream cut short); the encoder checks the same and stores raw CBOR otherwise.
 */
function endsEarly(data: Uint8Array, dictionary: Uint8Array, full?: Uint8Array): boolean {
  try {
    const whole = full ?? inflateSync(data, { dictionary });
    const shorter = inflateSync(data.subarray(0, data.length - 1), { dictionary, out: new Uint8Array(MAX_INFLATED_BYTES + 1) });
    return shorter.length === whole.length && shorter.every((b, i) => b === whole[i]);
  } catch {
    return false;
  }
}

export function inflate(data: Uint8Array, dictionary: Uint8Array): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflateSync(data, { dictionary, out: new Uint8Array(MAX_INFLATED_BYTES + 1) });
  } catch (cause) {
    if (cause instanceof Error && /unexpected EOF/i.test(cause.message)) throw new QrTruncatedError(undefined, { cause });
    throw new QrCorruptError(undefined, { cause });
  }
  if (out.length > MAX_INFLATED_BYTES || endsEarly(data, dictionary, out)) throw new QrCorruptError();
  return out;
}

export function readCbor(data: Uint8Array): unknown {
  let value: unknown;
  try {
    value = cborDecode(data, CBOR_DECODE_OPTIONS);
  } catch (cause) {
    if (cause instanceof Error && /not enough|unexpected end|end of input/i.test(cause.message)) {
      throw new QrTruncatedError(undefined, { cause });
    }
    throw new QrCorruptError(undefined, { cause });
  }
  // One byte string per value: a payload that decodes but is not what the encoder writes was changed.
  let same: boolean;
  try {
    const again = cborEncode(value);
    same = again.length === data.length && again.every((b, i) => b === data[i]);
  } catch (cause) {
    throw new QrCorruptError(undefined, { cause });
  }
  if (!same) throw new QrCorruptError();
  return value;
}
