/**
 * Issuer-side handlers of the pre-authorised code flow, framework-agnostic: each takes a standard
 * `Request` and returns `{ status, headers, body }`; the issuer's route handlers wrap them
 * (`toResponse`). Parsing and proof checks come from @openid4vc/oauth2 and @openid4vc/openid4vci;
 * single use, expiry, PIN attempts and nonces are enforced through the `OfferStore`.
 *
 * One endpoint per file under `./server/` (`handle-*-request.ts`), with the offer registration,
 * the proof checks, the request reading and the answers (`respond.ts`) beside them.
 */
export type { HandlerResponse, IssuanceDeps } from "./server/deps";
export { CORS_HEADERS, errorResponse, handlePreflightRequest, handleUnknownPath, toResponse } from "./server/respond";
export { NotificationEvent, NotificationRequest } from "./server/notification-request";
export { handleAuthorizationServerMetadataRequest, handleIssuerMetadataRequest } from "./server/handle-metadata-request";
export { registerOffer, type RegisteredOffer } from "./server/register-offer";
export { handleTokenRequest } from "./server/handle-token-request";
export { handleNonceRequest } from "./server/handle-nonce-request";
export { handleCredentialRequest } from "./server/handle-credential-request";
export { handleNotificationRequest } from "./server/handle-notification-request";
