/**
 * The steps before a credential request, over the route handlers: the office makes an offer (no
 * PIN) for an entitlement, the wallet reads it and trades its pre-authorised code for an access token.
 */
import { POST as offerRoute } from "@/app/api/entitlements/[id]/offer/route";
import { POST as token } from "@/app/api/oid4vci/token/route";
import { callRoute } from "./http";

export const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

/** A credential offer as the wallet reads it from the offer URI. */
export interface CredentialOffer {
  credential_configuration_ids: string[];
  grants: Record<string, { "pre-authorized_code": string }>;
}

/**
 * Both responses (the offer's and the token's) and the offer, for the caller to check.
 *
 * @example
 * const { made, offer, granted } = await offerAndToken(officer.headers, entitlementId, "dc+sd-jwt");
 */
export async function offerAndToken(officerHeaders: Record<string, string>, entitlementId: string, format: "jwt_vc_json" | "dc+sd-jwt") {
  const made = await callRoute(offerRoute, { method: "POST", params: { id: entitlementId }, headers: officerHeaders, body: { withPin: false, format } });
  if (!made.ok) return { made, offer: undefined, granted: undefined };
  const { offerUri } = (await made.json()) as { offerUri: string };
  const offer = JSON.parse(new URL(offerUri).searchParams.get("credential_offer")!) as CredentialOffer;
  const granted = await callRoute(token, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: PRE_AUTH, "pre-authorized_code": offer.grants[PRE_AUTH]!["pre-authorized_code"] }).toString(),
  });
  return { made, offer, granted };
}
