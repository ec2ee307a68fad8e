/** The names an SD-JWT VC entitlement and its presentation carry (`typ`s, `vct`, what may be left out). */

export const SD_JWT_VC_TYPE = "dc+sd-jwt";
/** `typ` of the KB-JWT that binds a presentation to the holder's key. */
export const KB_JWT_TYPE = "kb+jwt";
/** The entitlement's credential type; its type metadata is `vct/entitlement-v1.json`, served by the issuer. */
export const ENTITLEMENT_VCT = "https://w3id.org/haki/vct/entitlement/v1";
/** Members a holder may leave out of a presentation (issue 17). */
export const SELECTIVELY_DISCLOSABLE = ["name", "benefit", "area", "programme", "cycle"] as const;
export type DisclosableClaim = (typeof SELECTIVELY_DISCLOSABLE)[number];
