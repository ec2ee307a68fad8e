/**
 * Haki QR proof codec: an entitlement VC-JWT, or a holder's VP-JWT of one, to a short QR
 * alphanumeric payload and back to the very same JWT, so the original signatures verify.
 *
 * Payload text: `HK1:` + base45(body). Body byte 0 is the mode (low bits) and a "deflated" flag
 * (0x80); then, in compact mode, the raw 64-byte Ed25519 signature(s) and a CBOR array of the
 * credential's information (optionally raw-deflated with the preset dictionary); in generic mode
 * a CBOR array [header text, payload text, signature] for JWTs not in Haki's canonical form.
 *
 * Browser-safe: no `node:` imports (the wallet and verifier bundle it).
 */
import { decode as cborDecode, encode as cborEncode } from "cborg";
import { deflateSync, inflateSync } from "fflate";
import {
  HakiQrError,
  QrCorruptError,
  QrInvalidInputError,
  QrNotHakiError,
  QrTooLargeError,
  QrTruncatedError,
  QrUnknownIssuerError,
  QrUnsupportedVersionError,
} from "./errors";
import { Base45Error, decodeBase45, encodeBase45 } from "./lib/base45";
import { concatBytes } from "./lib/bytes";
import { CREDENTIAL_FIELD_COUNT, compactCredential, expandCredential } from "./lib/credential-form";
import { COMPACT_DICTIONARY, GENERIC_DICTIONARY } from "./lib/dictionary";
import { FieldError, NotCompactable, UnknownIssuerRef, isBytes, readArray, type Cbor } from "./lib/fields";
import { joinJws, parseJson, splitJws } from "./lib/jws";
import {
  PRESENTATION_FIELD_COUNT,
  compactPresentation,
  expandPresentation,
  innerCredential,
} from "./lib/presentation-form";

/** Every Haki QR payload starts with this: "HK", the format version, ":". */
export const PROOF_PREFIX = "HK1:";
/** Largest payload a QR code can hold in alphanumeric mode (version 40-L); longer text is refused. */
export const MAX_PAYLOAD_CHARS = 4296;
const MAX_INFLATED_BYTES = 16_384;
const SIGNATURE_BYTES = 64;

const MODE_CREDENTIAL = 1;
const MODE_PRESENTATION = 2;
const MODE_GENERIC = 3;
const FLAG_ISSUER_KEY = 0x04;
const FLAG_HOLDER_KEY = 0x08;
const FLAG_DEFLATED = 0x80;
const MODE_MASK = 0x03;
const KNOWN_BITS = MODE_MASK | FLAG_ISSUER_KEY | FLAG_HOLDER_KEY | FLAG_DEFLATED;
const KEY_BYTES = 32;

export type ProofKind = "credential" | "presentation";
/** compact: rebuilt from its information; generic: the JWT text itself, compressed. */
export type ProofFormat = "compact" | "generic";

export interface DecodedProof {
  kind: ProofKind;
  /** The JWT exactly as it was signed. */
  jwt: string;
  format: ProofFormat;
  /** For a presentation: the entitlement VC-JWT inside it. */
  credentialJwt?: string;
}

export interface EncodedProof {
  payload: string;
  kind: ProofKind;
  format: ProofFormat;
  /** Why compact mode could not be used (when format is "generic"). */
  fallbackReason?: string;
}

export interface EncodeProofOptions {
  /** Force generic mode (tests, or a JWT you know is not canonical). Default "auto". */
  format?: "auto" | "generic";
  /**
   * DIDs of the issuers every verifier of this QR code trusts (its trust list). When the
   * credential's issuer is one of them, the payload names it by a 4-byte reference instead of its
   * key or domain (about 45 characters less); a verifier without that issuer cannot read it then.
   */
  issuers?: readonly string[];
}

export interface DecodeProofOptions {
  /** DIDs of the trusted issuers, to resolve issuer references (see EncodeProofOptions.issuers). */
  issuers?: readonly string[];
}

/**
 * Fields that are often empty (null) do not take a byte each: the CBOR array starts with a bit mask
 * of which of them are present, in this order (the usually present ones first, so the mask is small).
 */
const CREDENTIAL_OPTIONAL = [8, 14, 15, 17, 3, 6, 0, 1, 2];
const PRESENTATION_OPTIONAL = [...CREDENTIAL_OPTIONAL.map((i) => i + PRESENTATION_FIELD_COUNT), 0, 1, 2, 5];

function elideNulls(fields: readonly Cbor[], optional: readonly number[]): Cbor[] {
  let mask = 0;
  optional.forEach((pos, bit) => {
    if (fields[pos] !== null) mask |= 1 << bit;
  });
  return [mask, ...fields.filter((v, i) => v !== null || !optional.includes(i))];
}

function restoreNulls(packed: unknown, optional: readonly number[], count: number): unknown[] {
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
  if (next !== present.length) throw new FieldError("extra fields");
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

function packCbor(mode: number, fixed: Uint8Array[], fields: Cbor[], credentialAt = -1): Uint8Array {
  const raw: Uint8Array[] = [];
  let head = mode;
  if (credentialAt >= 0) {
    // Keys are random bytes: deflate cannot shrink them, so they go beside the compressed part.
    fields = [...fields];
    for (const [offset, flag] of [[1, FLAG_ISSUER_KEY], [2, FLAG_HOLDER_KEY]] as const) {
      const v = fields[credentialAt + offset];
      if (isBytes(v, KEY_BYTES)) {
        raw.push(v);
        fields[credentialAt + offset] = null;
        head |= flag;
      }
    }
  }
  if (mode !== MODE_GENERIC) fields = elideNulls(fields, mode === MODE_CREDENTIAL ? CREDENTIAL_OPTIONAL : PRESENTATION_OPTIONAL);
  const cbor = cborEncode(fields);
  const dictionary = mode === MODE_GENERIC ? GENERIC_DICTIONARY : COMPACT_DICTIONARY;
  const deflated = deflateSync(cbor, { level: 9, dictionary });
  return deflated.length < cbor.length && !endsEarly(deflated, dictionary)
    ? concatBytes(Uint8Array.of(head | FLAG_DEFLATED), ...fixed, ...raw, deflated)
    : concatBytes(Uint8Array.of(head), ...fixed, ...raw, cbor);
}

function kindOf(payloadText: string): ProofKind | undefined {
  const p = parseJson(payloadText);
  if (typeof p !== "object" || p === null) return undefined;
  if ("vp" in p) return "presentation";
  if ("vc" in p) return "credential";
  return undefined;
}

function encodeCompact(jwt: string, issuers?: readonly string[]): { body: Uint8Array; kind: ProofKind } {
  const parts = splitJws(jwt);
  if (!parts) throw new NotCompactable("not a canonical compact JWS");
  if (parts.signature.length !== SIGNATURE_BYTES) throw new NotCompactable("signature is not Ed25519");
  const innerJwt = innerCredential(parts.payload);
  if (innerJwt === undefined) {
    const fields = compactCredential(parts.header, parts.payload, issuers);
    return { body: packCbor(MODE_CREDENTIAL, [parts.signature], fields, 0), kind: "credential" };
  }
  const inner = splitJws(innerJwt);
  if (!inner || inner.signature.length !== SIGNATURE_BYTES) throw new NotCompactable("credential inside is not canonical");
  const vcFields = compactCredential(inner.header, inner.payload, issuers);
  const holder = expandCredential(vcFields, issuers).holder;
  const vpFields = compactPresentation(parts.header, parts.payload, holder);
  return {
    body: packCbor(MODE_PRESENTATION, [parts.signature, inner.signature], [...vpFields, ...vcFields], PRESENTATION_FIELD_COUNT),
    kind: "presentation",
  };
}

function encodeGeneric(jwt: string): { body: Uint8Array; kind: ProofKind } {
  const parts = splitJws(jwt);
  if (!parts) throw new QrInvalidInputError("The proof to encode is not a compact JWT (three base64url parts).");
  const kind = kindOf(parts.payload);
  if (!kind) throw new QrInvalidInputError("The JWT to encode is neither a credential (vc) nor a presentation (vp).");
  return { body: packCbor(MODE_GENERIC, [], [parts.header, parts.payload, parts.signature]), kind };
}

/**
 * Encodes a VC-JWT or VP-JWT and says which format it used (and why, when it fell back to the
 * generic one).
 *
 * @example
 * const { payload, format, fallbackReason } = encodeProofWithFormat(vcJwt);
 * if (format === "generic") console.warn("not canonical:", fallbackReason);
 */
export function encodeProofWithFormat(jwt: string, options: EncodeProofOptions = {}): EncodedProof {
  if (typeof jwt !== "string") throw new QrInvalidInputError();
  let fallbackReason: string | undefined;
  if (options.format !== "generic") {
    try {
      const { body, kind } = encodeCompact(jwt, options.issuers);
      const payload = PROOF_PREFIX + encodeBase45(body);
      // Compact mode must give back the same bytes; if some corner of the canonical form was missed,
      // this catches it and the generic mode still carries the proof.
      if (decodeProof(payload, { issuers: options.issuers }).jwt === jwt) return { payload, kind, format: "compact" };
      fallbackReason = "rebuilding the JWT from its compact form gave different bytes";
    } catch (e) {
      // Whatever stops the compact form (a non-canonical claim, an unexpected value), the generic
      // form still carries the proof; the reason is reported, not thrown.
      fallbackReason = e instanceof Error ? e.message : String(e);
    }
  } else {
    fallbackReason = "generic format requested";
  }
  const { body, kind } = encodeGeneric(jwt);
  const payload = PROOF_PREFIX + encodeBase45(body);
  if (payload.length > MAX_PAYLOAD_CHARS) throw new QrTooLargeError();
  if (decodeProof(payload).jwt !== jwt) throw new QrInvalidInputError("This JWT cannot be carried byte for byte.");
  return { payload, kind, format: "generic", fallbackReason };
}

/**
 * Turns a signed entitlement credential (VC-JWT) or a holder's presentation of it (VP-JWT) into
 * a QR alphanumeric payload (`HK1:...`). Canonical Haki JWTs take the compact format; any other
 * JWT with a `vc` or `vp` claim is carried whole (generic format). Throws `ERR_QR_INVALID_INPUT`
 * (not such a JWT) or `ERR_QR_TOO_LARGE`.
 *
 * @example
 * const payload = encodeProof(vcJwt); // "HK1:6BF..." about 300 characters
 * const svg = await renderQrSvg(payload);
 */
export function encodeProof(jwt: string, options: EncodeProofOptions = {}): string {
  return encodeProofWithFormat(jwt, options).payload;
}

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

function inflate(data: Uint8Array, dictionary: Uint8Array): Uint8Array {
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

function readCbor(data: Uint8Array): unknown {
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

function decodeBody(body: Uint8Array, issuers?: readonly string[]): DecodedProof {
  if (body.length === 0) throw new QrTruncatedError();
  const head = body[0]!;
  const mode = head & MODE_MASK;
  if ((head & ~KNOWN_BITS) !== 0 || mode === 0) throw new QrCorruptError();
  if (mode === MODE_GENERIC && (head & (FLAG_ISSUER_KEY | FLAG_HOLDER_KEY)) !== 0) throw new QrCorruptError();
  const sigCount = mode === MODE_CREDENTIAL ? 1 : mode === MODE_PRESENTATION ? 2 : 0;
  const keyCount = (head & FLAG_ISSUER_KEY ? 1 : 0) + (head & FLAG_HOLDER_KEY ? 1 : 0);
  const rest = 1 + sigCount * SIGNATURE_BYTES + keyCount * KEY_BYTES;
  if (body.length <= rest) throw new QrTruncatedError();
  const sigs = Array.from({ length: sigCount }, (_, i) => body.slice(1 + i * SIGNATURE_BYTES, 1 + (i + 1) * SIGNATURE_BYTES));
  let at = 1 + sigCount * SIGNATURE_BYTES;
  const take = (): Uint8Array => body.slice(at, (at += KEY_BYTES));
  const issuerKey = head & FLAG_ISSUER_KEY ? take() : undefined;
  const holderKey = head & FLAG_HOLDER_KEY ? take() : undefined;
  const tail = body.subarray(rest);
  const fields = readCbor(head & FLAG_DEFLATED ? inflate(tail, mode === MODE_GENERIC ? GENERIC_DICTIONARY : COMPACT_DICTIONARY) : tail);
  /** Puts the raw keys back where compact fields expect them (and refuses keys inside the CBOR). */
  const withKeys = (f: unknown[], offset: number): unknown[] => {
    const out = [...f];
    for (const [i, key] of [[offset + 1, issuerKey], [offset + 2, holderKey]] as const) {
      if (isBytes(out[i], KEY_BYTES)) throw new FieldError("key inside CBOR");
      if (key) {
        if (out[i] !== null) throw new FieldError("key given twice");
        out[i] = key;
      }
    }
    return out;
  };
  try {
    if (mode === MODE_GENERIC) {
      const f = readArray(fields, "generic", 3);
      const [header, payload, signature] = f;
      if (typeof header !== "string" || typeof payload !== "string" || !isBytes(signature) || signature.length === 0) {
        throw new FieldError("generic parts");
      }
      const kind = kindOf(payload);
      if (!kind) throw new FieldError("generic kind");
      const jwt = joinJws({ header, payload, signature });
      const credentialJwt = kind === "presentation" ? innerCredential(payload) : undefined;
      return { kind, jwt, format: "generic", ...(credentialJwt ? { credentialJwt } : {}) };
    }
    if (mode === MODE_CREDENTIAL) {
      const f = restoreNulls(fields, CREDENTIAL_OPTIONAL, CREDENTIAL_FIELD_COUNT);
      const vc = expandCredential(withKeys(f, 0), issuers);
      return { kind: "credential", jwt: joinJws({ ...vc, signature: sigs[0]! }), format: "compact" };
    }
    const count = PRESENTATION_FIELD_COUNT + CREDENTIAL_FIELD_COUNT;
    const f = withKeys(restoreNulls(fields, PRESENTATION_OPTIONAL, count), PRESENTATION_FIELD_COUNT);
    const vc = expandCredential(f.slice(PRESENTATION_FIELD_COUNT), issuers);
    const credentialJwt = joinJws({ header: vc.header, payload: vc.payload, signature: sigs[1]! });
    const vp = expandPresentation(f.slice(0, PRESENTATION_FIELD_COUNT), credentialJwt, vc.holder);
    return { kind: "presentation", jwt: joinJws({ ...vp, signature: sigs[0]! }), format: "compact", credentialJwt };
  } catch (cause) {
    if (cause instanceof HakiQrError) throw cause;
    if (cause instanceof UnknownIssuerRef) throw new QrUnknownIssuerError(undefined, { cause });
    throw new QrCorruptError(undefined, { cause });
  }
}

/**
 * Reads a Haki QR payload back into the JWT that was signed. Throws only `HakiQrError`s:
 * `ERR_QR_NOT_HAKI` (another kind of QR code), `ERR_QR_UNSUPPORTED_VERSION`, `ERR_QR_TRUNCATED`,
 * `ERR_QR_CORRUPT` (changed or damaged), `ERR_QR_UNKNOWN_ISSUER` (the payload names its issuer
 * by a reference and `options.issuers` has no such issuer). A decoded proof is not yet trusted: verify its signature.
 *
 * @example
 * const { kind, jwt } = decodeProof(scannedText);
 * const result = kind === "presentation" ? await verifyPresentation(jwt, trust, opts) : await verifyCredential(jwt, trust, opts);
 */
export function decodeProof(payload: string, options: DecodeProofOptions = {}): DecodedProof {
  if (typeof payload !== "string") throw new QrNotHakiError();
  if (!payload.startsWith("HK")) {
    if (payload.length < PROOF_PREFIX.length && PROOF_PREFIX.startsWith(payload) && payload.length > 0) {
      throw new QrTruncatedError();
    }
    throw new QrNotHakiError();
  }
  const version = payload.slice(2, payload.indexOf(":") < 0 ? 3 : payload.indexOf(":"));
  if (!payload.startsWith(PROOF_PREFIX)) {
    if (PROOF_PREFIX.startsWith(payload)) throw new QrTruncatedError();
    if (/^[0-9A-Z]{1,2}$/.test(version) && payload[2 + version.length] === ":") throw new QrUnsupportedVersionError(version);
    throw new QrNotHakiError();
  }
  if (payload.length > MAX_PAYLOAD_CHARS) throw new QrCorruptError("This QR code holds more than any QR code can.");
  let body: Uint8Array;
  try {
    body = decodeBase45(payload.slice(PROOF_PREFIX.length));
  } catch (cause) {
    if (cause instanceof Base45Error && cause.problem === "length") throw new QrTruncatedError(undefined, { cause });
    throw new QrCorruptError(undefined, { cause });
  }
  try {
    return decodeBody(body, options.issuers);
  } catch (cause) {
    // Belt and braces: whatever a library throws on hostile input reaches the caller as ERR_QR_CORRUPT.
    if (cause instanceof HakiQrError) throw cause;
    throw new QrCorruptError(undefined, { cause });
  }
}
