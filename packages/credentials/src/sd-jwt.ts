/**
 * SD-JWT VC (`dc+sd-jwt`, draft-ietf-oauth-sd-jwt-vc on RFC 9901 SD-JWT) for entitlements, on
 * OpenWallet Foundation's `@sd-jwt/*` 0.19: the issuer signs once, with the name, benefit, area,
 * programme and cycle as selectively disclosable claims; the phone shows only what the counter
 * asks for, bound to its key by a KB-JWT with the counter's audience and nonce; the status is an
 * IETF Token Status List reference (`@haki/status-list/token`).
 *
 * Claims: `iss` (the issuer's HTTPS URL: its keys are in `/.well-known/jwt-vc-issuer`, and its
 * did:web is the same origin), `iat`, `nbf`/`exp` (valid from/until), `vct`, `cnf.jwk` (the
 * holder's key), `status.status_list` {idx, uri}, and the entitlement subject's members at the
 * top level (`beneficiary` and `redemption` always shown; `servicePoints` too when present).
 *
 * One job per file under `./sd-jwt/`: issue, present, verify (whose steps are the `check-*` and
 * `read-*` files), the nonce store. Browser-safe: Web Crypto SHA-256 and the `#crypto` Ed25519 backend.
 */
export { didWebForUrl } from "./did";
export { ENTITLEMENT_VCT, KB_JWT_TYPE, SD_JWT_VC_TYPE, SELECTIVELY_DISCLOSABLE, type DisclosableClaim } from "./sd-jwt/constants";
export { issueSdJwtVc, SdJwtIssueInput } from "./sd-jwt/issue";
export { presentSdJwtVc } from "./sd-jwt/present";
export { createMemoryNonceStore, type NonceStore } from "./sd-jwt/nonce-store";
export { checkDisclosureDigests } from "./sd-jwt/check-disclosure-digests";
export { verifySdJwtVc } from "./sd-jwt/verify";
export type {
  DisclosedSubject,
  SdJwtVerificationFailure,
  SdJwtVerificationResult,
  SdJwtVerificationSuccess,
  TokenStatusLookup,
  VerifySdJwtVcOptions,
} from "./sd-jwt/verify-types";
