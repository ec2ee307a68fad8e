/** The disclosed claims of an SD-JWT VC, checked against the entitlement's shape and the verifier's needs. */
import { SDJwt } from "@sd-jwt/core";
import * as z from "zod";
import { Ed25519PublicJwk } from "../lib/jwk";
import { hasher } from "../lib/sd-jwt-crypto";
import { fail } from "../lib/verify-core";
import { EntitlementSubject } from "../model";
import type { TrustedIssuer } from "../trust";
import { checkDisclosureDigests } from "./check-disclosure-digests";
import { ENTITLEMENT_VCT, SELECTIVELY_DISCLOSABLE, type DisclosableClaim } from "./constants";
import { shownWithoutKeyBinding, type PresentationParts } from "./split-presentation";
import type { DisclosedSubject, SdJwtVerificationFailure, VerifySdJwtVcOptions } from "./verify-types";

const SdJwtVcClaims = z.object({
  iss: z.url(),
  iat: z.number().int().nonnegative().optional(),
  nbf: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  vct: z.string().min(1),
  cnf: z.object({ jwk: Ed25519PublicJwk }),
  status: z.object({ status_list: z.object({ idx: z.number().int().nonnegative(), uri: z.url() }) }).optional(),
});
export type SdJwtVcClaims = z.infer<typeof SdJwtVcClaims>;
const Subject = EntitlementSubject.partial().required({ beneficiary: true, redemption: true });

export interface ReadClaims {
  /** The registered claims (`iss`, `nbf`, `exp`, `vct`, `cnf`, `status`). */
  header: SdJwtVcClaims;
  subject: DisclosedSubject;
  disclosed: DisclosableClaim[];
  /** Every claim after disclosure processing. */
  claims: Record<string, unknown>;
}

/**
 * Checks the disclosures against their digests, then reads the claims: accepted `vct`, registered
 * claims and subject well formed, the claims the verifier needs disclosed, the issuer trusted for
 * the programme.
 *
 * @example
 * const read = await readDisclosedClaims(parts, signed.issuer, options);
 * if ("code" in read) return read;
 */
export async function readDisclosedClaims(parts: PresentationParts, issuer: TrustedIssuer, options: VerifySdJwtVcOptions): Promise<ReadClaims | SdJwtVerificationFailure> {
  const payload = parts.jws.payload;
  if (payload._sd_alg !== undefined && payload._sd_alg !== "sha-256") return fail("ERR_ALG_UNSUPPORTED", undefined, { _sd_alg: String(payload._sd_alg) });
  if (!(await checkDisclosureDigests(payload, parts.disclosures))) return fail("ERR_DISCLOSURE_INVALID");
  const claims = await (await SDJwt.fromEncode(shownWithoutKeyBinding(parts), hasher)).getClaims<Record<string, unknown>>(hasher);

  const accepted = options.vct ?? [ENTITLEMENT_VCT];
  if (!accepted.includes(String(claims.vct))) return fail("ERR_WRONG_TYPE", undefined, { vct: String(claims.vct) });
  const header = SdJwtVcClaims.safeParse(claims);
  const { iss: _i, iat: _t, nbf: _n, exp: _e, vct: _v, cnf: _c, status: _s, ...members } = claims;
  const subject = Subject.safeParse(members);
  if (!header.success || !subject.success) {
    const issue = (header.error ?? subject.error)?.issues[0];
    return fail("ERR_SCHEMA_VIOLATION", undefined, issue ? { path: issue.path.join("."), message: issue.message } : undefined, header.error ?? subject.error);
  }
  const disclosed = SELECTIVELY_DISCLOSABLE.filter((k) => k in subject.data);
  const missing = (options.requiredClaims ?? []).filter((k) => !disclosed.includes(k));
  if (missing.length > 0) return fail("ERR_SCHEMA_VIOLATION", "This code does not show what this counter needs. Ask for a new code.", { missing: missing.join(",") });
  if (!issuerCovers(issuer, subject.data.programme?.id)) return fail("ERR_ISSUER_UNTRUSTED", "This device does not trust this issuer for this programme.", { issuer: header.data.iss });
  return { header: header.data, subject: subject.data, disclosed, claims };
}

function issuerCovers(issuer: TrustedIssuer, programme: string | undefined): boolean {
  return issuer.programmes === undefined || (programme !== undefined && issuer.programmes.includes(programme));
}
