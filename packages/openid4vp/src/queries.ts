/**
 * DCQL queries a service point asks with. "Valid today" is not a claim: the verifier's own check of
 * the presented credential (dates, cancellation and suspension lists) answers it.
 */
import { ENTITLEMENT_VCT } from "@haki/credentials/sd-jwt";
import type { DcqlQuery } from "dcql";

export const ENTITLEMENT_TYPES = ["VerifiableCredential", "EntitlementCredential"];

/** The formats a service point may ask in: Haki's VC-JWTs, or SD-JWT VC (which shares only what is asked). */
export type QueryFormat = "jwt_vc_json" | "dc+sd-jwt";

/**
 * Where a subject member is, and which credentials match, per format: a VC-JWT's subject is under
 * `credentialSubject` and its type is `type`; an SD-JWT VC's members are top-level claims and its
 * type is `vct`.
 */
function entitlementShape(format: string): { meta: Record<string, unknown>; path: (...member: string[]) => string[] } {
  return format === "dc+sd-jwt"
    ? { meta: { vct_values: [ENTITLEMENT_VCT] }, path: (...member) => member }
    : { meta: { type_values: [ENTITLEMENT_TYPES] }, path: (...member) => ["credentialSubject", ...member] };
}

/** A query for one entitlement credential in `format`, asking the claims `claims` builds with that format's paths. */
function entitlementQuery(format: string, claims: (path: (...member: string[]) => string[]) => Record<string, unknown>[]): DcqlQuery.Input {
  const { meta, path } = entitlementShape(format);
  return { credentials: [{ id: "entitlement", format, meta, claims: claims(path) }] } as DcqlQuery.Input;
}

/**
 * "Is this person enrolled in programme X (and is the entitlement valid today)?" - asks for the
 * programme id only, no name, no amount. With SD-JWT VC only that is shared; a VC-JWT shows more,
 * and the wallet says so before consent.
 *
 * @example
 * createPresentationRequest({ query: enrolmentQuery("cash-for-work"), ... });
 * enrolmentQuery("cash-for-work", "dc+sd-jwt"); // asks ["programme", "id"] of an SD-JWT VC with the entitlement vct
 */
export function enrolmentQuery(programmeId: string, format: QueryFormat | (string & {}) = "jwt_vc_json"): DcqlQuery.Input {
  return entitlementQuery(format, (path) => [{ id: "programme", path: path("programme", "id"), values: [programmeId] }]);
}

/**
 * "What may this person receive, and what is their name?" - programme, benefit and display name.
 *
 * @example
 * createPresentationRequest({ query: benefitAndNameQuery("cash-for-work"), ... });
 */
export function benefitAndNameQuery(programmeId?: string, format: QueryFormat | (string & {}) = "jwt_vc_json"): DcqlQuery.Input {
  return entitlementQuery(format, (path) => [
    { id: "programme", path: path("programme", "id"), ...(programmeId ? { values: [programmeId] } : {}) },
    { id: "benefit", path: path("benefit") },
    { id: "name", path: path("name") },
  ]);
}
