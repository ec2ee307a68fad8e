/**
 * W3C VC-API `POST /credentials/verify`: a credential as a `vc+jwt` / VC 1.1 VC-JWT string or an
 * EnvelopedVerifiableCredential, checked against the trust list (this issuer's keys and the
 * configured issuers). An entitlement goes through the entitlement's own checks (its model, both
 * status entries); any other VC 2.0 credential through the data model's. Status lists of this
 * issuer are read straight from its database; others are not fetched (a warning says so).
 * Answers `{ verified, checks, warnings, errors }`, errors with a code, plain words and, where VC
 * Data Model 2.0 section 7.2 names one, its problem type.
 */
import { z } from "zod";
import { decodeProtectedHeader } from "jose";
import { verifyCredential } from "@haki/credentials/verify";
import { unwrapCredential, verifyGenericCredential } from "@haki/credentials/generic";
import type { VerificationFailure } from "@haki/credentials/verify";
import type { TrustList } from "@haki/credentials/trust";
import type { ServerContext } from "@/server/context";
import { statusLookupFor } from "./status-lookup";
import { vcApiTrustList } from "./trust";

export const VerifyRequest = z.object({
  verifiableCredential: z.union([z.string().min(1).max(64_000), z.record(z.string(), z.unknown())]),
  options: z.looseObject({ now: z.iso.datetime({ offset: true }).optional(), checks: z.array(z.string()).optional() }).optional(),
});
export type VerifyRequest = z.infer<typeof VerifyRequest>;

export interface Problem {
  code: string;
  message: string;
  /** The VC Data Model 2.0 problem type (section 7.2), when one fits. */
  type?: string;
}

export interface VerifyResponse {
  verified: boolean;
  checks: string[];
  warnings: Problem[];
  errors: Problem[];
  /** For an entitlement: each status entry (ok / unknown). */
  status?: { revocation: string; suspension: string };
}

const VCDM = "https://www.w3.org/TR/vc-data-model#";
const PROBLEM_TYPES: Record<string, string> = {
  ERR_MALFORMED: `${VCDM}PARSING_ERROR`,
  ERR_ALG_UNSUPPORTED: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  ERR_SIGNATURE_INVALID: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  ERR_ISSUER_UNTRUSTED: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  ERR_HOLDER_BINDING: `${VCDM}CRYPTOGRAPHIC_SECURITY_ERROR`,
  ERR_SCHEMA_VIOLATION: `${VCDM}MALFORMED_VALUE_ERROR`,
  ERR_WRONG_TYPE: `${VCDM}MALFORMED_VALUE_ERROR`,
  ERR_NOT_YET_VALID: `${VCDM}RANGE_ERROR`,
  ERR_EXPIRED: `${VCDM}RANGE_ERROR`,
};

/** A failure as the VC-API reports it. */
export function problemOf(f: Pick<VerificationFailure, "code" | "reason" | "details">): Problem {
  const detail = f.details?.path ? ` (${f.details.path}: ${f.details.message ?? ""})` : "";
  const type = PROBLEM_TYPES[f.code];
  return { code: f.code, message: `${f.reason}${detail}`, ...(type ? { type } : {}) };
}

/** One credential's verification, whatever its kind (also each credential inside a presentation). */
export type CredentialCheck =
  | { valid: true; holder?: string; checks: string[]; warnings: Problem[]; status?: VerifyResponse["status"] }
  | VerificationFailure;

const isEntitlementType = (types: unknown) => Array.isArray(types) && types.includes("EntitlementCredential");

/**
 * Verifies one credential (string or enveloped) against `trust`, as an entitlement when it is one.
 *
 * @example
 * const r = await checkAnyCredential(ctx, body.verifiableCredential, trust, now);
 */
export async function checkAnyCredential(ctx: ServerContext, value: unknown, trust: TrustList, now: Date): Promise<CredentialCheck> {
  const jwt = unwrapCredential(value);
  if (typeof jwt !== "string") return jwt;
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    // A malformed token is reported by the verifier below.
  }
  const vc = payload.vc as { type?: unknown; credentialStatus?: unknown } | undefined;
  const status = await statusLookupFor(ctx, vc?.credentialStatus ?? payload.credentialStatus);
  if (isEntitlementType(vc?.type ?? payload.type)) {
    const r = await verifyCredential(jwt, trust, { now, status });
    if (!r.valid) return r;
    const unknown = (["revocation", "suspension"] as const).filter((p) => r.status[p] !== "ok");
    return {
      valid: true,
      ...(r.holder ? { holder: r.holder } : {}),
      checks: ["proof", "issuer", "dataModel", "validity", ...(unknown.length === 0 ? ["credentialStatus"] : [])],
      warnings: unknown.map((p) => ({ code: "STATUS_UNAVAILABLE", message: `The ${p} list was not available.` })),
      status: r.status,
    };
  }
  const r = await verifyGenericCredential(jwt, trust, { now, status });
  return r.valid ? { valid: true, checks: r.checks, warnings: r.warnings } : r;
}

/**
 * @example
 * const result = await verifyCredentialApi(ctx, { verifiableCredential: jwt });
 */
export async function verifyCredentialApi(ctx: ServerContext, req: VerifyRequest): Promise<VerifyResponse> {
  // Signed by a distrusted (compromised) key: refused whatever else it says.
  const jwt = unwrapCredential(req.verifiableCredential);
  const distrusted = typeof jwt === "string" ? (await ctx.keys.listDistrustedKeys()).find((k) => k.kid === headerKid(jwt)) : undefined;
  if (distrusted) {
    return {
      verified: false,
      checks: [],
      warnings: [],
      errors: [{ code: "ERR_KEY_DISTRUSTED", message: `This credential was signed with a key the issuer distrusted on ${distrusted.distrustedAt.toISOString().slice(0, 10)}; ask for a re-issued one.` }],
    };
  }
  const trust = await vcApiTrustList(ctx);
  const r = await checkAnyCredential(ctx, req.verifiableCredential, trust, req.options?.now ? new Date(req.options.now) : ctx.now());
  if (!r.valid) return { verified: false, checks: [], warnings: [], errors: [problemOf(r)] };
  return { verified: true, checks: r.checks, warnings: r.warnings, errors: [], ...(r.status ? { status: r.status } : {}) };
}

function headerKid(jwt: string): string | undefined {
  try {
    return decodeProtectedHeader(jwt).kid;
  } catch {
    return undefined;
  }
}
