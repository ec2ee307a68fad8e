/**
 * Haki QR proof codec: an entitlement credential (VC 1.1 VC-JWT or VC 2.0 `vc+jwt`), or a holder's
 * presentation of one, to a short QR alphanumeric payload and back to the very same JWT, so the
 * original signatures verify.
 *
 * Payload text: `HK2:` + base45(body) (format 2; `HK1:` payloads, the first printed cards, still
 * decode). Body byte 0 is the mode (low bits), flags (raw keys, VC 2.0, pre-status-context VC 1.1)
 * and a "deflated" flag (0x80); then, in compact mode, the raw 64-byte Ed25519 signature(s) and a
 * CBOR array of the credential's information (optionally raw-deflated with the preset dictionary);
 * in generic mode a CBOR array [header text, payload text, signature] for JWTs not in Haki's
 * canonical form.
 *
 * Browser-safe: no `node:` imports (the wallet and verifier bundle it).
 */
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
import {
  CURRENT,
  FLAG,
  LEGACY_PROOF_PREFIX,
  MODE,
  PROOF_PREFIX,
  type FormatVersion,
  inflate,
  KEY_BYTES,
  packCbor,
  readCbor,
  restoreNulls,
  SIGNATURE_BYTES,
  variantBits,
  VERSIONS,
} from "./lib/body";
import { Base45Error, decodeBase45, encodeBase45 } from "./lib/base45";
import {
  CREDENTIAL_FIELD_COUNT,
  compactCredential,
  expandCredential,
  type CredentialVariant,
  type QrReferences,
} from "./lib/credential-form";
import { FieldError, NotCompactable, UnknownIssuerRef, isBytes, readArray } from "./lib/fields";
import { joinJws, parseJson, splitJws } from "./lib/jws";
import {
  PRESENTATION_FIELD_COUNT,
  compactPresentation,
  expandPresentation,
  innerCredential,
} from "./lib/presentation-form";

/** Every Haki QR payload the encoder writes starts with `PROOF_PREFIX` ("HK2:"); `LEGACY_PROOF_PREFIX` ("HK1:") is format 1, still read. */
export { LEGACY_PROOF_PREFIX, PROOF_PREFIX } from "./lib/body";
/** Largest payload a QR code can hold in alphanumeric mode (version 40-L); longer text is refused. */
export const MAX_PAYLOAD_CHARS = 4296;

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
  /**
   * Programmes (id and name) every verifier of this QR code knows from its trust bundle. When the
   * credential's programme is one of them, format 2 names it by a 4-byte reference (a phone's
   * proof: the counter that serves the programme knows it). Paper cards do without.
   */
  programmes?: readonly { id: string; name: string }[];
  /** Full key ids (`<did>#<fragment>`) every verifier knows; format 2 names a known key by 2 bytes. */
  keys?: readonly string[];
}

export interface DecodeProofOptions {
  /** DIDs of the trusted issuers, to resolve issuer references (see EncodeProofOptions.issuers). */
  issuers?: readonly string[];
  /** Programmes of the trust bundle, to resolve programme references (see EncodeProofOptions.programmes). */
  programmes?: readonly { id: string; name: string }[];
  /** Full key ids of the trusted issuers' keys, to resolve key references. */
  keys?: readonly string[];
}

function kindOf(payloadText: string): ProofKind | undefined {
  const p = parseJson(payloadText);
  if (typeof p !== "object" || p === null) return undefined;
  if ("vp" in p || ("@context" in p && "verifiableCredential" in p)) return "presentation";
  if ("vc" in p || "@context" in p) return "credential";
  return undefined;
}


function encodeCompact(jwt: string, refs: QrReferences): { body: Uint8Array; kind: ProofKind } {
  const version = CURRENT;
  const parts = splitJws(jwt);
  if (!parts) throw new NotCompactable("not a canonical compact JWS");
  if (parts.signature.length !== SIGNATURE_BYTES) throw new NotCompactable("signature is not Ed25519");
  const innerJwt = innerCredential(parts.payload);
  if (innerJwt === undefined) {
    const { fields, variant } = compactCredential(parts.header, parts.payload, refs, version.fields, ["vc1", "vc2"]);
    return { body: packCbor(version, MODE.credential | variantBits(variant), [parts.signature], fields, 0), kind: "credential" };
  }
  const inner = splitJws(innerJwt);
  if (!inner || inner.signature.length !== SIGNATURE_BYTES) throw new NotCompactable("credential inside is not canonical");
  const { fields: vcFields, variant } = compactCredential(inner.header, inner.payload, refs, version.fields, ["vc1", "vc2"]);
  const holder = expandCredential(vcFields, refs, version.fields, variant).holder;
  const vpFields = compactPresentation(parts.header, parts.payload, holder, version.fields, variant.format);
  return {
    body: packCbor(version, MODE.presentation | variantBits(variant), [parts.signature, inner.signature], [...vpFields, ...vcFields], PRESENTATION_FIELD_COUNT),
    kind: "presentation",
  };
}

function encodeGeneric(jwt: string): { body: Uint8Array; kind: ProofKind } {
  const parts = splitJws(jwt);
  if (!parts) throw new QrInvalidInputError("The proof to encode is not a compact JWT (three base64url parts).");
  const kind = kindOf(parts.payload);
  if (!kind) throw new QrInvalidInputError("The JWT to encode is neither a credential (vc) nor a presentation (vp).");
  return { body: packCbor(CURRENT, MODE.generic, [], [parts.header, parts.payload, parts.signature]), kind };
}

/**
 * Encodes a credential or presentation JWT and says which format it used (and why, when it fell
 * back to the generic one).
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
      const refs = { issuers: options.issuers, programmes: options.programmes, keys: options.keys };
      const { body, kind } = encodeCompact(jwt, refs);
      const payload = PROOF_PREFIX + encodeBase45(body);
      // Compact mode must give back the same bytes; if some corner of the canonical form was missed,
      // this catches it and the generic mode still carries the proof.
      if (decodeProof(payload, refs).jwt === jwt) return { payload, kind, format: "compact" };
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
 * Turns a signed entitlement credential (VC 1.1 VC-JWT or VC 2.0 `vc+jwt`) or a holder's
 * presentation of it into a QR alphanumeric payload (`HK2:...`). Canonical Haki JWTs take the
 * compact format; any other JWT with a `vc`/`vp` claim or a VC 2.0 claims set is carried whole
 * (generic format). Throws `ERR_QR_INVALID_INPUT` (not such a JWT) or `ERR_QR_TOO_LARGE`.
 *
 * @example
 * const payload = encodeProof(vcJwt, { issuers: [issuerDid] }); // "HK2:..." under 311 characters
 * const svg = await renderQrSvg(payload);
 */
export function encodeProof(jwt: string, options: EncodeProofOptions = {}): string {
  return encodeProofWithFormat(jwt, options).payload;
}

/**
 * The references a wallet may use for its own credential: its issuer, the issuer's key and the
 * programme. Every service point that can check the card trusts that issuer and serves that
 * programme, so its trust bundle names all three (see `decodeReferences`). Empty for a JWT that
 * is not a credential.
 *
 * @example
 * const payload = encodeProof(await signPresentation(vcJwt, holderKey), proofReferences(vcJwt));
 */
export function proofReferences(credentialJwt: string): EncodeProofOptions {
  const parts = typeof credentialJwt === "string" ? splitJws(credentialJwt) : undefined;
  const header = parts ? (parseJson(parts.header) as { kid?: unknown } | undefined) : undefined;
  const payload = parts ? (parseJson(parts.payload) as Record<string, unknown> | undefined) : undefined;
  if (!payload || typeof payload !== "object") return {};
  const body = (typeof payload.vc === "object" && payload.vc !== null ? payload.vc : payload) as Record<string, unknown>;
  const issuerClaim = "vc" in payload ? payload.iss : typeof body.issuer === "object" && body.issuer !== null ? (body.issuer as { id?: unknown }).id : body.issuer;
  const programme = (body.credentialSubject as { programme?: { id?: unknown; name?: unknown } } | undefined)?.programme;
  const out: EncodeProofOptions = {};
  if (typeof issuerClaim === "string") out.issuers = [issuerClaim];
  if (typeof header?.kid === "string") out.keys = [header.kid];
  if (typeof programme?.id === "string" && typeof programme.name === "string") out.programmes = [{ id: programme.id, name: programme.name }];
  return out;
}

/**
 * What a verifier passes to `decodeProof`: from its trust list (issuer DIDs and their keys, key ids
 * as fragments or full ids) and the programmes of its trust bundle.
 *
 * @example
 * const proof = decodeProof(text, decodeReferences(bundle.issuers, bundle.programmes));
 */
export function decodeReferences(
  issuers: readonly { did: string; keys?: readonly { id: string }[] }[],
  programmes: readonly { id: string; name: string }[] = [],
): DecodeProofOptions {
  return {
    issuers: issuers.map((i) => i.did),
    keys: issuers.flatMap((i) => (i.keys ?? []).map((k) => (k.id.startsWith("did:") ? k.id : `${i.did}#${k.id.replace(/^#/, "")}`))),
    programmes: programmes.map((p) => ({ id: p.id, name: p.name })),
  };
}

function decodeBody(version: FormatVersion, body: Uint8Array, refs: QrReferences): DecodedProof {
  if (body.length === 0) throw new QrTruncatedError();
  const head = body[0]!;
  const mode = head & MODE.mask;
  if ((head & ~version.knownBits) !== 0 || mode === 0) throw new QrCorruptError();
  if (mode === MODE.generic && (head & ~(MODE.mask | FLAG.deflated)) !== 0) throw new QrCorruptError();
  const variant: CredentialVariant =
    version.prefix === LEGACY_PROOF_PREFIX
      ? { format: "vc1", legacyContexts: true }
      : { format: head & FLAG.vc2 ? "vc2" : "vc1", legacyContexts: (head & FLAG.legacyContexts) !== 0 };
  if (variant.format === "vc2" && head & FLAG.legacyContexts) throw new QrCorruptError();
  const sigCount = mode === MODE.credential ? 1 : mode === MODE.presentation ? 2 : 0;
  const keyCount = (head & FLAG.issuerKey ? 1 : 0) + (head & FLAG.holderKey ? 1 : 0);
  const rest = 1 + sigCount * SIGNATURE_BYTES + keyCount * KEY_BYTES;
  if (body.length <= rest) throw new QrTruncatedError();
  const sigs = Array.from({ length: sigCount }, (_, i) => body.slice(1 + i * SIGNATURE_BYTES, 1 + (i + 1) * SIGNATURE_BYTES));
  let at = 1 + sigCount * SIGNATURE_BYTES;
  const take = (): Uint8Array => body.slice(at, (at += KEY_BYTES));
  const issuerKey = head & FLAG.issuerKey ? take() : undefined;
  const holderKey = head & FLAG.holderKey ? take() : undefined;
  const tail = body.subarray(rest);
  const dictionary = mode === MODE.generic ? version.genericDictionary : version.compactDictionary;
  const fields = readCbor(head & FLAG.deflated ? inflate(tail, dictionary) : tail);
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
    if (mode === MODE.generic) {
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
    if (mode === MODE.credential) {
      const f = restoreNulls(fields, version.credentialOptional, CREDENTIAL_FIELD_COUNT, 1);
      const vc = expandCredential(withKeys(f, 0), refs, version.fields, variant);
      return { kind: "credential", jwt: joinJws({ ...vc, signature: sigs[0]! }), format: "compact" };
    }
    const count = PRESENTATION_FIELD_COUNT + CREDENTIAL_FIELD_COUNT;
    const f = withKeys(restoreNulls(fields, version.presentationOptional, count, 1), PRESENTATION_FIELD_COUNT);
    const vc = expandCredential(f.slice(PRESENTATION_FIELD_COUNT), refs, version.fields, variant);
    const credentialJwt = joinJws({ header: vc.header, payload: vc.payload, signature: sigs[1]! });
    const vp = expandPresentation(f.slice(0, PRESENTATION_FIELD_COUNT), credentialJwt, vc.holder, version.fields, variant.format);
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
  const colon = payload.indexOf(":");
  const version = VERSIONS[payload.slice(0, colon + 1)];
  if (colon < 0 || !version) {
    if (PROOF_PREFIX.startsWith(payload) || LEGACY_PROOF_PREFIX.startsWith(payload)) throw new QrTruncatedError();
    const named = payload.slice(2, colon < 0 ? 3 : colon);
    if (colon >= 0 && /^[0-9A-Z]{1,2}$/.test(named)) throw new QrUnsupportedVersionError(named);
    throw new QrNotHakiError();
  }
  if (payload.length > MAX_PAYLOAD_CHARS) throw new QrCorruptError("This QR code holds more than any QR code can.");
  let body: Uint8Array;
  try {
    body = decodeBase45(payload.slice(version.prefix.length));
  } catch (cause) {
    if (cause instanceof Base45Error && cause.problem === "length") throw new QrTruncatedError(undefined, { cause });
    throw new QrCorruptError(undefined, { cause });
  }
  try {
    return decodeBody(version, body, { issuers: options.issuers, programmes: options.programmes, keys: options.keys });
  } catch (cause) {
    // Belt and braces: whatever a library throws on hostile input reaches the caller as ERR_QR_CORRUPT.
    if (cause instanceof HakiQrError) throw cause;
    throw new QrCorruptError(undefined, { cause });
  }
}
