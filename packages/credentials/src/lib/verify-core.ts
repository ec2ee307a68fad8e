/**
 * The verification pipeline shared by credentials and presentations (internal: the public API is
 * `./verify` and `./presentation`).
 */
import { createError, type HakiCredentialError, type VerificationErrorCode } from "../errors";
import { ACCEPTED_ALGS, verifyCompactSignature, type DecodedJws } from "./jws";
import {
  ENTITLEMENT_CREDENTIAL_TYPE,
  EntitlementJwtPayload,
  type BitstringStatusListEntry,
  type EntitlementSubject,
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
  payload: EntitlementJwtPayload;
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

export interface VerificationFailure {
  valid: false;
  code: VerificationErrorCode;
  /** Plain words for the person at the counter. */
  reason: string;
  error: HakiCredentialError;
  /** Where a schema violation was found, the dates of an expired card, etc. */
  details?: Record<string, string>;
}

export type VerificationResult = VerificationSuccess | VerificationFailure;

/** Builds a failure result (used by presentations too). */
export function fail(
  code: VerificationErrorCode,
  reason?: string,
  details?: Record<string, string>,
  cause?: unknown,
): VerificationFailure {
  const error = createError(code, reason, cause);
  return details ? { valid: false, code, reason: error.message, error, details } : { valid: false, code, reason: error.message, error };
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

function hasEntitlementType(payload: Record<string, unknown>): boolean {
  const vc = payload.vc;
  if (typeof vc !== "object" || vc === null) return false;
  const type = (vc as Record<string, unknown>).type;
  return Array.isArray(type) && type.includes("VerifiableCredential") && type.includes(ENTITLEMENT_CREDENTIAL_TYPE);
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
  const iss = jws.payload.iss;
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

  if (!hasEntitlementType(jws.payload)) return fail("ERR_WRONG_TYPE");
  const parsed = EntitlementJwtPayload.safeParse(jws.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail("ERR_SCHEMA_VIOLATION", undefined, issue ? { path: issue.path.join("."), message: issue.message } : undefined, parsed.error);
  }
  const payload = parsed.data;
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
    payload,
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

