/**
 * DCQL queries a service point asks with. "Valid today" is not a claim: the verifier's own check of
 * the presented credential (dates, cancellation and suspension lists) answers it.
 */
import type { DcqlQuery } from "dcql";

export const ENTITLEMENT_TYPES = ["VerifiableCredential", "EntitlementCredential"];

/**
 * "Is this person enrolled in programme X (and is the entitlement valid today)?" - asks for the
 * programme id only, no name, no amount. With SD-JWT VC only that is shared; a VC-JWT shows more,
 * and the wallet says so before consent.
 *
 * @example
 * createPresentationRequest({ query: enrolmentQuery("cash-for-work"), ... });
 */
export function enrolmentQuery(programmeId: string, format = "jwt_vc_json"): DcqlQuery.Input {
  return {
    credentials: [
      {
        id: "entitlement",
        format,
        meta: { type_values: [ENTITLEMENT_TYPES] },
        claims: [{ id: "programme", path: ["credentialSubject", "programme", "id"], values: [programmeId] }],
      },
    ],
  } as DcqlQuery.Input;
}

/**
 * "What may this person receive, and what is their name?" - programme, benefit and display name.
 *
 * @example
 * createPresentationRequest({ query: benefitAndNameQuery("cash-for-work"), ... });
 */
export function benefitAndNameQuery(programmeId?: string, format = "jwt_vc_json"): DcqlQuery.Input {
  return {
    credentials: [
      {
        id: "entitlement",
        format,
        meta: { type_values: [ENTITLEMENT_TYPES] },
        claims: [
          { id: "programme", path: ["credentialSubject", "programme", "id"], ...(programmeId ? { values: [programmeId] } : {}) },
          { id: "benefit", path: ["credentialSubject", "benefit"] },
          { id: "name", path: ["credentialSubject", "name"] },
        ],
      },
    ],
  } as DcqlQuery.Input;
}
