/**
 * Any VC Data Model 2.0 credential or presentation secured with VC-JOSE-COSE (`vc+jwt`, `vp+jwt`,
 * EdDSA), not only Haki's entitlement: what the issuer's VC-API signs under the `issue:any` scope
 * and verifies from the issuers its trust list names. Entitlements keep their own stricter path
 * (`./sign`, `./verify`); this one applies the data model's rules (`./vcdm2`) instead of the
 * entitlement model. Server side (the data model check runs JSON-LD).
 */
import { publicJwkFromDid, resolveDidOffline } from "./did";
import { createError, type VerificationErrorCode } from "./errors";
import type { SigningKey } from "./keys";
import { checkHeader, fail, joseType, neverThrows, type StatusLookup, type VerificationFailure } from "./lib/verify-core";
import { decodeCompact, signCompact, verifyCompactSignature, type DecodedJws } from "./lib/jws";
import { InputInvalidError, KeyMismatchError } from "./errors";
import { BitstringStatusListEntry, JOSE_TYPES } from "./model";
import { ENVELOPED_CREDENTIAL_TYPE, VC_JWT_DATA_URL_PREFIX } from "./presentation";
import { findIssuerKeys, type TrustList } from "./trust";
import { checkCredentialV2, checkPresentationV2, JWT_CLAIMS, type DataModelIssue } from "./vcdm2";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The enveloped presentation's `id` prefix (RFC 2397 data URL of a `vp+jwt`). */
export const VP_JWT_DATA_URL_PREFIX = "data:application/vp+jwt,";
export const ENVELOPED_PRESENTATION_TYPE = "EnvelopedVerifiablePresentation";

/** The DID (or URL) a credential's `issuer` names (string, or the object's `id`). */
export function issuerIdOf(credential: Json): string | undefined {
  const i = credential.issuer;
  const id = isObject(i) ? i.id : i;
  return typeof id === "string" ? id : undefined;
}

/**
 * Signs any VC 2.0 credential as a `vc+jwt` after checking it against the data model. The issuer
 * is the key's DID: a credential naming another issuer has that `id` replaced (its `name` and
 * `description` are kept), since the signature says who issued it. Throws `ERR_INPUT_INVALID`
 * (the issues in `details`) when the credential does not conform.
 *
 * @example
 * const jwt = await signGenericCredential({ "@context": [V2, { Degree: "https://example.org/#Degree" }],
 *   type: ["VerifiableCredential", "Degree"], credentialSubject: [{ id: "did:example:a", name: "A" }] }, issuerKey);
 */
export async function signGenericCredential(credential: unknown, key: SigningKey & { did: string }): Promise<{ jwt: string; credential: Json }> {
  const issues = await checkCredentialV2(isObject(credential) && credential.issuer === undefined ? { ...credential, issuer: key.did } : credential);
  if (issues.length > 0) throw new DataModelInputError(issues);
  const c = credential as Json;
  if (c.proof !== undefined) throw new DataModelInputError([{ path: "proof", message: "this issuer secures credentials with VC-JOSE-COSE; send none" }]);
  if (!key.kid.startsWith(`${key.did}#`)) throw new KeyMismatchError(`The key ${key.kid} does not belong to ${key.did}.`);
  const issuer = isObject(c.issuer) ? { ...c.issuer, id: key.did } : key.did;
  const signed: Json = { ...c, issuer };
  return { jwt: await signCompact(JSON.stringify(signed), key.kid, key.privateKey, JOSE_TYPES.vc2.credential), credential: signed };
}

/** `ERR_INPUT_INVALID` for a credential the data model refuses, with every issue found. */
export class DataModelInputError extends InputInvalidError {
  constructor(readonly issues: DataModelIssue[]) {
    super(`The credential does not follow the VC Data Model 2.0: ${issues.map((i) => `${i.path || "(root)"} ${i.message}`).join("; ")}`);
  }
}

export interface GenericVerifyOptions {
  now?: Date;
  clockToleranceSeconds?: number;
  /** Bitstring Status List entries: true = bit set, false = clear, undefined = list not available. */
  status?: StatusLookup;
}

export interface GenericVerificationSuccess {
  valid: true;
  /** The credential as signed (the JWT claims set). */
  credential: Json;
  issuer: { did: string; name: string };
  kid: string;
  /** What was checked, in the VC-API's words. */
  checks: string[];
  /** What could not be checked (a status mechanism this verifier does not read, a list not available). */
  warnings: { code: string; message: string }[];
}
export type GenericVerificationResult = GenericVerificationSuccess | VerificationFailure;

/**
 * The JOSE string inside a securing envelope: the string itself, or the `data:` URL of an
 * Enveloped credential or presentation (`what` names which, for the messages).
 */
function unwrapEnvelope(value: unknown, what: { noun: "credential" | "presentation"; type: string; prefix: string; jwt: "vc+jwt" | "vp+jwt" }): string | VerificationFailure {
  if (typeof value === "string") return value.trim();
  if (isObject(value)) {
    const types = Array.isArray(value.type) ? value.type : [value.type];
    if (types.includes(what.type)) {
      return typeof value.id === "string" && value.id.startsWith(what.prefix)
        ? value.id.slice(what.prefix.length)
        : fail("ERR_MALFORMED", `The enveloped ${what.noun}'s id is not a ${what.prefix.slice(0, -1)} URL.`);
    }
    if (value.proof !== undefined) return fail("ERR_ALG_UNSUPPORTED", `Embedded (Data Integrity) proofs are not verified here; send the ${what.noun} secured as a ${what.jwt}.`, { proof: "embedded" });
    return fail("ERR_MALFORMED", `This ${what.noun} is not secured (no ${what.jwt}, no enveloped ${what.noun}).`);
  }
  return fail("ERR_MALFORMED");
}

/** The securing envelope of a credential: a `vc+jwt` string, or an EnvelopedVerifiableCredential. */
export function unwrapCredential(value: unknown): string | VerificationFailure {
  return unwrapEnvelope(value, { noun: "credential", type: ENVELOPED_CREDENTIAL_TYPE, prefix: VC_JWT_DATA_URL_PREFIX, jwt: "vc+jwt" });
}

const seconds = (iso: string) => Date.parse(iso) / 1000;
const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

/** Verifies the signature of a decoded `vc+jwt` by a key the trust list names for its issuer. */
async function trustedSigner(jws: DecodedJws, trust: TrustList): Promise<{ did: string; name: string; kid: string } | VerificationFailure> {
  const iss = issuerIdOf(jws.payload);
  if (!iss) return fail("ERR_MALFORMED", "This credential does not say who issued it.");
  const kid = jws.header.kid as string | undefined;
  const candidates = findIssuerKeys(trust, iss, kid);
  if (!candidates?.length) return fail("ERR_ISSUER_UNTRUSTED", undefined, { issuer: iss, ...(kid ? { kid } : {}) });
  for (const c of candidates) if (await verifyCompactSignature(jws, c.publicKeyJwk)) return { did: c.issuer.did, name: c.issuer.name, kid: c.kid };
  return fail("ERR_SIGNATURE_INVALID");
}

/**
 * Verifies any VC 2.0 `vc+jwt` (or an EnvelopedVerifiableCredential holding one): EdDSA signature
 * by a key of an issuer the trust list names, the data model (`./vcdm2`), the validity period
 * (`validFrom`/`validUntil`, and JWT `nbf`/`exp` when present), and Bitstring status entries
 * through `status`; other status mechanisms are reported as warnings. Never throws.
 *
 * @example
 * const r = await verifyGenericCredential(body.verifiableCredential, trust, { now, status });
 * if (!r.valid) answer({ verified: false, errors: [{ code: r.code, message: r.reason }] });
 */
export async function verifyGenericCredential(value: unknown, trust: TrustList, options: GenericVerifyOptions = {}): Promise<GenericVerificationResult> {
  return neverThrows(() => verifyUnsafe(value, trust, options));
}

/**
 * A VC 2.0 compact JWS (credential or presentation): decoded, its header checked, its `typ` absent or
 * `expectedTyp`, and no VC 1.1 claim (`vc` / `vp`) in the payload.
 */
function decodeV2Jws(compact: string, expectedTyp: string, v1Claim: "vc" | "vp", wrongType: string): DecodedJws | VerificationFailure {
  const jws = decodeCompact(compact);
  if (!jws) return fail("ERR_MALFORMED");
  const headerFailure = checkHeader(jws.header);
  if (headerFailure) return headerFailure;
  const typ = joseType(jws.header);
  if ((typ !== undefined && typ !== expectedTyp) || v1Claim in jws.payload) return fail("ERR_WRONG_TYPE", wrongType, { typ: String(typ) });
  return jws;
}

async function verifyUnsafe(value: unknown, trust: TrustList, options: GenericVerifyOptions): Promise<GenericVerificationResult> {
  const unwrapped = unwrapCredential(value);
  if (typeof unwrapped !== "string") return unwrapped;
  const jws = decodeV2Jws(unwrapped, JOSE_TYPES.vc2.credential, "vc", "This is not a VC 2.0 vc+jwt.");
  if ("code" in jws) return jws;
  const signer = await trustedSigner(jws, trust);
  if ("code" in signer) return signer;

  const issues = await checkCredentialV2(jws.payload, { jwtClaims: JWT_CLAIMS });
  if (issues.length > 0) return fail("ERR_SCHEMA_VIOLATION", undefined, { path: issues[0]!.path, message: issues[0]!.message });

  const c = jws.payload;
  const now = (options.now ?? new Date()).getTime() / 1000;
  const tolerance = options.clockToleranceSeconds ?? 60;
  const from = Math.max(typeof c.validFrom === "string" ? seconds(c.validFrom) : -Infinity, typeof c.nbf === "number" ? c.nbf : -Infinity);
  const until = Math.min(typeof c.validUntil === "string" ? seconds(c.validUntil) : Infinity, typeof c.exp === "number" ? c.exp : Infinity);
  if (now + tolerance < from) return fail("ERR_NOT_YET_VALID", `This credential is valid from ${day(from)}.`, { validFrom: day(from) });
  if (now - tolerance >= until) return fail("ERR_EXPIRED", `This credential expired on ${day(until)}.`, { validUntil: day(until) });

  const checks = ["proof", "issuer", "dataModel", "validity"];
  const warnings: { code: string; message: string }[] = [];
  const entries = c.credentialStatus === undefined ? [] : Array.isArray(c.credentialStatus) ? c.credentialStatus : [c.credentialStatus];
  for (const e of entries) {
    const entry = BitstringStatusListEntry.safeParse(e);
    if (!entry.success) {
      warnings.push({ code: "STATUS_NOT_CHECKED", message: `A status of type ${JSON.stringify((e as Json).type)} was not checked.` });
      continue;
    }
    let bit: boolean | undefined;
    try {
      bit = options.status?.(entry.data);
    } catch {
      bit = undefined;
    }
    if (bit === true) return fail(entry.data.statusPurpose === "suspension" ? "ERR_SUSPENDED" : "ERR_REVOKED");
    if (bit === undefined) warnings.push({ code: "STATUS_UNAVAILABLE", message: `The status list ${entry.data.statusListCredential} was not available.` });
  }
  if (entries.length > 0 && warnings.length === 0) checks.push("credentialStatus");
  return { valid: true, credential: c, issuer: { did: signer.did, name: signer.name }, kid: signer.kid, checks, warnings };
}

export interface GenericPresentationOptions extends GenericVerifyOptions {
  /** The challenge this verifier gave: the presentation's `nonce` must equal it. */
  challenge?: string;
  /** The domain this verifier expects: the presentation's `aud` must name it. */
  domain?: string;
  /** Verifies each credential inside (default: `verifyGenericCredential` with the same trust). */
  verifyCredential?: (credential: unknown) => Promise<{ valid: true; holder?: string; checks: string[]; warnings: { code: string; message: string }[] } | VerificationFailure>;
}

export interface GenericPresentationSuccess {
  valid: true;
  presentation: Json;
  holder?: string;
  credentials: number;
  checks: string[];
  warnings: { code: string; message: string }[];
}

/** The `vp+jwt` of a presentation: a string, or an EnvelopedVerifiablePresentation. */
export function unwrapPresentation(value: unknown): string | VerificationFailure {
  return unwrapEnvelope(value, { noun: "presentation", type: ENVELOPED_PRESENTATION_TYPE, prefix: VP_JWT_DATA_URL_PREFIX, jwt: "vp+jwt" });
}

/**
 * Verifies a VC 2.0 `vp+jwt` (or an EnvelopedVerifiablePresentation): signed by the key of its
 * `holder` (did:key or did:jwk, resolved offline), the data model, `nonce` = challenge and `aud` =
 * domain when given, and every credential inside (enveloped `vc+jwt`s; an embedded credential
 * object is accepted only when its issuer is the holder, secured by the presentation itself, VCDM
 * 2.0 4.12.4). A credential bound to a holder must be bound to this one. Never throws.
 *
 * @example
 * const r = await verifyGenericPresentation(body.verifiablePresentation, trust, { challenge, domain });
 */
export async function verifyGenericPresentation(value: unknown, trust: TrustList, options: GenericPresentationOptions = {}): Promise<GenericPresentationSuccess | VerificationFailure> {
  return neverThrows(() => verifyPresentationUnsafe(value, trust, options));
}

async function verifyPresentationUnsafe(value: unknown, trust: TrustList, options: GenericPresentationOptions): Promise<GenericPresentationSuccess | VerificationFailure> {
  const unwrapped = unwrapPresentation(value);
  if (typeof unwrapped !== "string") return unwrapped;
  const jws = decodeV2Jws(unwrapped, JOSE_TYPES.vc2.presentation, "vp", "This is not a VC 2.0 vp+jwt.");
  if ("code" in jws) return jws;
  const p = jws.payload;
  const issues = await checkPresentationV2(p, { jwtClaims: JWT_CLAIMS });
  if (issues.length > 0) return fail("ERR_SCHEMA_VIOLATION", undefined, { path: issues[0]!.path, message: issues[0]!.message });

  // The holder's key: the kid's DID, which must be the holder the presentation names.
  const kid = typeof jws.header.kid === "string" ? jws.header.kid : undefined;
  const holder = isObject(p.holder) ? p.holder.id : p.holder;
  const signerDid = kid?.split("#")[0];
  if (!kid || !signerDid || (holder !== undefined && holder !== signerDid)) return fail("ERR_HOLDER_BINDING", "The presentation is not signed by its holder.");
  if (!resolveDidOffline(signerDid).didDocument) return fail("ERR_ISSUER_UNTRUSTED", "The holder's key cannot be resolved offline (did:key or did:jwk only).", { holder: signerDid });
  if (!(await verifyCompactSignature(jws, publicJwkFromDid(signerDid)))) return fail("ERR_SIGNATURE_INVALID");

  if (options.challenge !== undefined && p.nonce !== options.challenge) return fail("ERR_NONCE_MISMATCH", undefined, { expected: "challenge" });
  if (options.domain !== undefined) {
    const aud = Array.isArray(p.aud) ? p.aud : [p.aud];
    if (!aud.includes(options.domain)) return fail("ERR_NONCE_MISMATCH", undefined, { expected: "domain" });
  }
  const now = (options.now ?? new Date()).getTime() / 1000;
  const tolerance = options.clockToleranceSeconds ?? 60;
  if (typeof p.exp === "number" && now - tolerance >= p.exp) return fail("ERR_PRESENTATION_STALE");
  if (typeof p.iat === "number" && p.iat > now + tolerance) return fail("ERR_PRESENTATION_STALE");

  const checks = ["proof", "holder", "dataModel", ...(options.challenge !== undefined ? ["challenge"] : []), ...(options.domain !== undefined ? ["domain"] : [])];
  const warnings: { code: string; message: string }[] = [];
  const vcs = p.verifiableCredential === undefined ? [] : Array.isArray(p.verifiableCredential) ? p.verifiableCredential : [p.verifiableCredential];
  const verifyOne: NonNullable<GenericPresentationOptions["verifyCredential"]> = options.verifyCredential ?? (async (c: unknown) => {
    const r = await verifyGenericCredential(c, trust, options);
    // Any credential may be presented by anyone its subject allows (a parent for a child): the
    // data model does not bind holder to subject, so neither does this default.
    return r.valid ? { valid: true as const, checks: r.checks, warnings: r.warnings } : r;
  });
  for (const [i, vc] of vcs.entries()) {
    if (isObject(vc) && !(Array.isArray(vc.type) ? vc.type : [vc.type]).includes(ENVELOPED_CREDENTIAL_TYPE) && vc.proof === undefined) {
      // A self-asserted credential, secured by the presentation: the presentation names its
      // holder, and the credential's issuer is that holder.
      if (holder === undefined || issuerIdOf(vc) !== signerDid) return fail("ERR_HOLDER_BINDING", `Credential ${i + 1} is not secured and was not issued by the holder.`);
      const embeddedIssues = await checkCredentialV2(vc);
      if (embeddedIssues.length > 0) return fail("ERR_SCHEMA_VIOLATION", undefined, { path: `verifiableCredential[${i}].${embeddedIssues[0]!.path}`, message: embeddedIssues[0]!.message });
      continue;
    }
    const r = await verifyOne(vc);
    if (!r.valid) return withIndex(r, i);
    if (r.holder !== undefined && r.holder !== signerDid) return fail("ERR_HOLDER_BINDING", `Credential ${i + 1} belongs to another holder.`);
    warnings.push(...r.warnings);
  }
  if (vcs.length > 0) checks.push("credentials");
  return { valid: true, presentation: p, ...(signerDid ? { holder: signerDid } : {}), credentials: vcs.length, checks, warnings };
}

function withIndex(r: VerificationFailure, i: number): VerificationFailure {
  return { ...r, details: { ...r.details, credential: String(i + 1) }, error: createError(r.code as VerificationErrorCode, r.reason, r.error) };
}
