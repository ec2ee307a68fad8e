/**
 * The verification pipeline shared by credentials and presentations (internal: the public API is
 * `./verify` and `./presentation`).
 */
import type { ZodError } from "zod";
import { createError, type HakiCredentialError, type SdJwtErrorCode, type VerificationErrorCode } from "../errors";
import { ACCEPTED_ALGS, verifyCompactSignature, type DecodedJws } from "./jws";
import {
  ENTITLEMENT_CREDENTIAL_TYPE,
  EntitlementCredentialV2,
  EntitlementJwtPayload,
  JOSE_TYPES,
  type BitstringStatusListEntry,
  type EntitlementSubject,
  type JwtCredentialFormat,
} from "../model";
import { findIssuerKeys, type TrustList, type TrustedIssuer } from "../trust";

/**
 * Looks up one status bit in the verifier's cached status lists: true = bit set (revoked or
 * suspended), false = clear, undefined = that list is not cached. `@haki/status-list` provides one.
 */
export type StatusLookup = (entry: BitstringStatusListEntry) => boolean | undefined;

export interface VerifyCredentialOptions {
  /** The time to check validity against (default: now). */
  now?: Date;
  /** Allowed clock drift, in seconds, on validFrom/validUntil (default 60). */
  clockToleranceSeconds?: number;
  /** Status lookup over cached status lists; without it status is "unchecked". */
  status?: StatusLookup;
  /** Fail with ERR_STATUS_UNAVAILABLE when a status cannot be checked (default false). */
  requireStatus?: boolean;
  /**
   * Refuse a bare credential that names a holder key (ERR_HOLDER_PROOF_REQUIRED): whoever shows it
   * must prove the key with a presentation. Paper cards (no holder) still pass. Default false.
   */
  requireHolderProof?: boolean;
}

export type StatusCheck = "ok" | "unchecked" | "unknown";

export interface VerificationSuccess {
  valid: true;
  /** `vc1` (VC 1.1 VC-JWT) or `vc2` (VC 2.0 `vc+jwt`). */
  format: JwtCredentialFormat;
  /**
   * The credential in the VC 1.1 JWT claims shape, whatever its format: for a `vc+jwt` a view
   * derived from the credential (`iss` = issuer, `sub` = credentialSubject.id, `jti` = id,
   * `nbf`/`exp` = validFrom/validUntil in seconds), so code written for VC 1.1 reads both.
   */
  payload: EntitlementJwtPayload;
  /** For a `vc+jwt`: the VC 2.0 credential exactly as signed (parsed). */
  credential?: EntitlementCredentialV2;
  subject: EntitlementSubject;
  issuer: { did: string; name: string };
  /** The key that signed it. */
  kid: string;
  /** Holder DID (JWT `sub`), absent on paper cards. */
  holder?: string;
  /**
   * none: a paper card (check the name/photo); required: the credential names a holder key that
   * this check did not prove (the verifier may refuse); verified: proven by a presentation.
   */
  holderBinding: "none" | "required" | "verified";
  /** ok = list cached and bit clear; unknown = list not cached; unchecked = no lookup given. */
  status: { revocation: StatusCheck; suspension: StatusCheck };
  validFrom: Date;
  validUntil: Date;
}

export interface VerificationFailure<C extends VerificationErrorCode | SdJwtErrorCode = VerificationErrorCode> {
  valid: false;
  code: C;
  /** Plain words for the person at the counter. */
  reason: string;
  error: HakiCredentialError;
  /** Where a schema violation was found, the dates of an expired card, etc. */
  details?: Record<string, string>;
}

export type VerificationResult = VerificationSuccess | VerificationFailure;

/** Builds a failure result (used by presentations and SD-JWT VC too). */
export function fail<C extends VerificationErrorCode | SdJwtErrorCode = VerificationErrorCode>(
  code: C,
  reason?: string,
  details?: Record<string, string>,
  cause?: unknown,
): VerificationFailure<C> {
  const error = createError(code, reason, cause);
  return details ? { valid: false, code, reason: error.message, error, details } : { valid: false, code, reason: error.message, error };
}

/**
 * Runs a verification that must never throw: anything thrown (a broken trust list or status lookup
 * must not crash the counter screen) becomes `ERR_MALFORMED`, the error as its cause.
 */
export async function neverThrows<T>(verify: () => Promise<T>): Promise<T | VerificationFailure<"ERR_MALFORMED">> {
  try {
    return await verify();
  } catch (cause) {
    return fail("ERR_MALFORMED", undefined, undefined, cause);
  }
}

const day = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);

/** Checks alg and crit of a protected header; a failure or undefined. */
export function checkHeader(header: Record<string, unknown>): VerificationFailure | undefined {
  const alg = header.alg;
  if (typeof alg !== "string" || !ACCEPTED_ALGS.has(alg)) {
    return fail("ERR_ALG_UNSUPPORTED", undefined, { alg: String(alg) });
  }
  // RFC 7515 4.1.11: a header that lists critical extensions we do not implement must be refused.
  if (header.crit !== undefined) return fail("ERR_ALG_UNSUPPORTED", undefined, { crit: JSON.stringify(header.crit) });
  if (header.kid !== undefined && typeof header.kid !== "string") return fail("ERR_MALFORMED");
  return undefined;
}

function hasEntitlementType(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const type = (body as Record<string, unknown>).type;
  return Array.isArray(type) && type.includes("VerifiableCredential") && type.includes(ENTITLEMENT_CREDENTIAL_TYPE);
}

/** A JOSE `typ` without its optional "application/" prefix, lower case (RFC 7515 4.1.9). */
export function joseType(header: Record<string, unknown>): string | undefined {
  const typ = header.typ;
  return typeof typ === "string" ? typ.toLowerCase().replace(/^application\//, "") : undefined;
}

/**
 * Which format a credential JWS claims to be: a `vc` claim is VC 1.1 (never allowed in a
 * `vc+jwt`); a claims set with `@context` and no `vc` is VC 2.0 (typ `vc+jwt` or none). Undefined
 * for anything else (a plain JWT, a presentation).
 */
export function credentialFormatOf(jws: DecodedJws): JwtCredentialFormat | undefined {
  const typ = joseType(jws.header);
  if ("vc" in jws.payload) return typ === JOSE_TYPES.vc2.credential || typ === JOSE_TYPES.vc2.presentation ? undefined : "vc1";
  if ("@context" in jws.payload && !("vp" in jws.payload)) return typ === undefined || typ === JOSE_TYPES.vc2.credential ? "vc2" : undefined;
  return undefined;
}

/** The issuer DID a credential names (`iss`, or the VC 2.0 `issuer` string or object id). */
function issuerClaim(payload: Record<string, unknown>, format: JwtCredentialFormat): unknown {
  if (format === "vc1") return payload.iss;
  const issuer = payload.issuer;
  return typeof issuer === "object" && issuer !== null ? (issuer as Record<string, unknown>).id : issuer;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * The VC 1.1 claims view of a VC 2.0 credential. JWT `nbf`/`exp` claims, if a foreign issuer added
 * them, narrow the period (the stricter of both holds).
 */
function viewOfV2(c: EntitlementCredentialV2, claims: Record<string, unknown>): EntitlementJwtPayload {
  const { id: holder, ...subject } = c.credentialSubject;
  const nbf = typeof claims.nbf === "number" ? Math.max(claims.nbf, seconds(c.validFrom)) : seconds(c.validFrom);
  const exp = typeof claims.exp === "number" ? Math.min(claims.exp, seconds(c.validUntil)) : seconds(c.validUntil);
  return {
    iss: typeof c.issuer === "string" ? c.issuer : c.issuer.id,
    ...(holder !== undefined ? { sub: holder } : {}),
    ...(c.id !== undefined ? { jti: c.id } : {}),
    nbf,
    exp,
    vc: {
      "@context": c["@context"],
      type: c.type,
      ...(c.credentialSchema ? { credentialSchema: c.credentialSchema } : {}),
      credentialSubject: subject,
      credentialStatus: c.credentialStatus,
    },
  };
}

export type Parsed = { format: JwtCredentialFormat; payload: EntitlementJwtPayload; credential?: EntitlementCredentialV2 };

export function parseEntitlement(jws: DecodedJws, format: JwtCredentialFormat): Parsed | VerificationFailure {
  const schemaFailure = (error: ZodError) => {
    const issue = error.issues[0];
    return fail("ERR_SCHEMA_VIOLATION", undefined, issue ? { path: issue.path.join("."), message: issue.message } : undefined, error);
  };
  if (format === "vc1") {
    const parsed = EntitlementJwtPayload.safeParse(jws.payload);
    return parsed.success ? { format, payload: parsed.data } : schemaFailure(parsed.error);
  }
  const parsed = EntitlementCredentialV2.safeParse(jws.payload);
  if (!parsed.success) return schemaFailure(parsed.error);
  return { format, payload: viewOfV2(parsed.data, jws.payload), credential: parsed.data };
}

/** Internal: verify a decoded credential; `presented` is set when a presentation proved the holder. */
export async function verifyDecodedCredential(
  jws: DecodedJws,
  trust: TrustList,
  options: VerifyCredentialOptions,
  presented: boolean,
): Promise<VerificationResult> {
  const headerFailure = checkHeader(jws.header);
  if (headerFailure) return headerFailure;
  const format = credentialFormatOf(jws);
  if (!format) return fail(jws.payload.iss === undefined && jws.payload.issuer === undefined ? "ERR_MALFORMED" : "ERR_WRONG_TYPE");
  const iss = issuerClaim(jws.payload, format);
  if (typeof iss !== "string") return fail("ERR_MALFORMED", "This card does not say who issued it.");

  const kid = jws.header.kid as string | undefined;
  const candidates = findIssuerKeys(trust, iss, kid);
  if (!candidates || candidates.length === 0) return fail("ERR_ISSUER_UNTRUSTED", undefined, { issuer: iss, ...(kid ? { kid } : {}) });
  let signer: (typeof candidates)[number] | undefined;
  for (const c of candidates) {
    if (await verifyCompactSignature(jws, c.publicKeyJwk)) {
      signer = c;
      break;
    }
  }
  if (!signer) return fail("ERR_SIGNATURE_INVALID");

  if (!hasEntitlementType(format === "vc1" ? jws.payload.vc : jws.payload)) return fail("ERR_WRONG_TYPE");
  const parsed = parseEntitlement(jws, format);
  if ("code" in parsed) return parsed;
  const { payload } = parsed;
  if (!issuerCovers(signer.issuer, payload.vc.credentialSubject.programme.id)) {
    return fail("ERR_ISSUER_UNTRUSTED", "This device does not trust this issuer for this programme.", {
      issuer: iss,
      programme: payload.vc.credentialSubject.programme.id,
    });
  }

  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 60;
  if (now + tolerance < payload.nbf) {
    return fail("ERR_NOT_YET_VALID", `This card can be used from ${day(payload.nbf)}.`, { validFrom: day(payload.nbf) });
  }
  if (now - tolerance >= payload.exp) {
    return fail("ERR_EXPIRED", `This card expired on ${day(payload.exp)}.`, { validUntil: day(payload.exp) });
  }

  // Read both bits first: a known revocation or suspension wins over a missing list.
  const bits = { revocation: undefined as boolean | undefined, suspension: undefined as boolean | undefined };
  const entries = { revocation: undefined as BitstringStatusListEntry | undefined, suspension: undefined as BitstringStatusListEntry | undefined };
  for (const entry of payload.vc.credentialStatus) {
    entries[entry.statusPurpose] = entry;
    try {
      bits[entry.statusPurpose] = options.status?.(entry);
    } catch {
      bits[entry.statusPurpose] = undefined; // a broken cache counts as "not cached", never as "not revoked"
    }
  }
  if (bits.revocation === true) return fail("ERR_REVOKED");
  if (bits.suspension === true) return fail("ERR_SUSPENDED");
  const status = { revocation: "unchecked" as StatusCheck, suspension: "unchecked" as StatusCheck };
  for (const purpose of ["revocation", "suspension"] as const) {
    if (bits[purpose] !== false && options.requireStatus) {
      return fail("ERR_STATUS_UNAVAILABLE", undefined, { list: entries[purpose]?.statusListCredential ?? "" });
    }
    status[purpose] = bits[purpose] === false ? "ok" : options.status ? "unknown" : "unchecked";
  }

  const holder = payload.sub;
  const holderBinding = holder === undefined ? "none" : presented ? "verified" : "required";
  if (holderBinding === "required" && options.requireHolderProof) return fail("ERR_HOLDER_PROOF_REQUIRED");

  const result: VerificationSuccess = {
    valid: true,
    format,
    payload,
    ...(parsed.credential ? { credential: parsed.credential } : {}),
    subject: payload.vc.credentialSubject,
    issuer: { did: signer.issuer.did, name: signer.issuer.name },
    kid: signer.kid,
    holderBinding,
    status,
    validFrom: new Date(payload.nbf * 1000),
    validUntil: new Date(payload.exp * 1000),
  };
  if (holder !== undefined) result.holder = holder;
  return result;
}

function issuerCovers(issuer: TrustedIssuer, programme: string): boolean {
  return issuer.programmes === undefined || issuer.programmes.includes(programme);
}

