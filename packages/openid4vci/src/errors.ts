/**
 * Errors of the OpenID4VCI flow. Two families:
 * - `IssuanceError` (issuer side): each carries the OAuth error the spec mandates (`oauthError`), the
 *   HTTP status, and a Haki reason (`hakiError`) so a wallet can tell "expired" from "already used",
 *   which the spec folds into one `invalid_grant`.
 * - `ReceiveError` (wallet side): what went wrong for the person holding the phone, in plain words.
 * Tests and callers switch on `code`, never on the message.
 */

/** Codes of failures the issuer's handlers answer with. */
export type IssuanceErrorCode =
  | "ERR_INVALID_REQUEST"
  | "ERR_UNSUPPORTED_GRANT_TYPE"
  | "ERR_OFFER_UNKNOWN"
  | "ERR_OFFER_EXPIRED"
  | "ERR_OFFER_ALREADY_USED"
  | "ERR_TX_CODE_REQUIRED"
  | "ERR_TX_CODE_WRONG"
  | "ERR_TX_CODE_LOCKED"
  | "ERR_INVALID_TOKEN"
  | "ERR_INVALID_PROOF"
  | "ERR_INVALID_NONCE"
  | "ERR_UNKNOWN_CREDENTIAL_CONFIGURATION"
  | "ERR_INVALID_CREDENTIAL_REQUEST"
  | "ERR_CREDENTIAL_REQUEST_DENIED"
  | "ERR_INVALID_NOTIFICATION_ID"
  | "ERR_INVALID_NOTIFICATION_REQUEST"
  | "ERR_RATE_LIMITED"
  | "ERR_ISSUANCE_FAILED";

/** The OAuth 2.0 / OpenID4VCI 1.0 `error` values used on the wire (RFC 6749 5.2, OpenID4VCI 1.0 sections 8.3.1.2 and 11.3). */
export type OAuthErrorValue =
  | "invalid_request"
  | "unsupported_grant_type"
  | "invalid_grant"
  | "invalid_token"
  | "invalid_proof"
  | "invalid_nonce"
  | "unknown_credential_configuration"
  | "invalid_credential_request"
  | "credential_request_denied"
  | "invalid_notification_id"
  | "invalid_notification_request"
  | "too_many_requests"
  | "server_error";

/** Haki's finer reason, sent as `haki_error` beside the OAuth `error`. */
export type HakiErrorValue =
  | "invalid_request"
  | "unsupported_grant_type"
  | "offer_unknown"
  | "offer_expired"
  | "offer_already_used"
  | "tx_code_required"
  | "tx_code_wrong"
  | "tx_code_locked"
  | "invalid_token"
  | "invalid_proof"
  | "invalid_nonce"
  | "unknown_credential_configuration"
  | "invalid_credential_request"
  | "credential_request_denied"
  | "invalid_notification_id"
  | "invalid_notification_request"
  | "rate_limited"
  | "issuance_failed";

const ISSUANCE_ERRORS: Record<IssuanceErrorCode, { oauth: OAuthErrorValue; haki: HakiErrorValue; status: number; message: string }> = {
  ERR_INVALID_REQUEST: { oauth: "invalid_request", haki: "invalid_request", status: 400, message: "The request is malformed." },
  ERR_UNSUPPORTED_GRANT_TYPE: { oauth: "unsupported_grant_type", haki: "unsupported_grant_type", status: 400, message: "Only the pre-authorised code grant is supported." },
  ERR_OFFER_UNKNOWN: { oauth: "invalid_grant", haki: "offer_unknown", status: 400, message: "This offer is not known to the issuer." },
  ERR_OFFER_EXPIRED: { oauth: "invalid_grant", haki: "offer_expired", status: 400, message: "This offer has expired." },
  ERR_OFFER_ALREADY_USED: { oauth: "invalid_grant", haki: "offer_already_used", status: 400, message: "This offer was already used." },
  ERR_TX_CODE_REQUIRED: { oauth: "invalid_request", haki: "tx_code_required", status: 400, message: "This offer needs its PIN." },
  ERR_TX_CODE_WRONG: { oauth: "invalid_grant", haki: "tx_code_wrong", status: 400, message: "The PIN is wrong." },
  ERR_TX_CODE_LOCKED: { oauth: "invalid_grant", haki: "tx_code_locked", status: 400, message: "Too many wrong PINs: this offer is blocked." },
  ERR_INVALID_TOKEN: { oauth: "invalid_token", haki: "invalid_token", status: 401, message: "The access token is missing, unknown, expired or used." },
  ERR_INVALID_PROOF: { oauth: "invalid_proof", haki: "invalid_proof", status: 400, message: "The key proof is missing or invalid." },
  ERR_INVALID_NONCE: { oauth: "invalid_nonce", haki: "invalid_nonce", status: 400, message: "The key proof's nonce is unknown, expired or used." },
  ERR_UNKNOWN_CREDENTIAL_CONFIGURATION: { oauth: "unknown_credential_configuration", haki: "unknown_credential_configuration", status: 400, message: "This credential is not offered here." },
  ERR_INVALID_CREDENTIAL_REQUEST: { oauth: "invalid_credential_request", haki: "invalid_credential_request", status: 400, message: "The credential request is malformed." },
  ERR_CREDENTIAL_REQUEST_DENIED: { oauth: "credential_request_denied", haki: "credential_request_denied", status: 400, message: "The issuer will not issue this credential now." },
  ERR_INVALID_NOTIFICATION_ID: { oauth: "invalid_notification_id", haki: "invalid_notification_id", status: 400, message: "This notification id is not known." },
  ERR_INVALID_NOTIFICATION_REQUEST: { oauth: "invalid_notification_request", haki: "invalid_notification_request", status: 400, message: "The notification is malformed." },
  // No OAuth code names this; HTTP 429 with Retry-After (RFC 6585) is what clients act on.
  ERR_RATE_LIMITED: { oauth: "too_many_requests", haki: "rate_limited", status: 429, message: "Too many requests from this address: wait and try again." },
  ERR_ISSUANCE_FAILED: { oauth: "server_error", haki: "issuance_failed", status: 500, message: "The issuer could not sign the credential." },
};

/**
 * A failure the issuer reports to the wallet.
 * @example
 * throw new IssuanceError("ERR_OFFER_EXPIRED");
 * // -> 400 { error: "invalid_grant", haki_error: "offer_expired", ... }
 */
export class IssuanceError extends Error {
  readonly code: IssuanceErrorCode;
  readonly status: number;
  readonly oauthError: OAuthErrorValue;
  readonly hakiError: HakiErrorValue;
  /** For `ERR_TX_CODE_WRONG`: how many tries remain before the offer is blocked. */
  readonly attemptsLeft: number | undefined;
  /** For `ERR_RATE_LIMITED`: seconds until the caller may try again (the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: IssuanceErrorCode, options: { detail?: string; cause?: unknown; attemptsLeft?: number; retryAfterSeconds?: number } = {}) {
    const info = ISSUANCE_ERRORS[code];
    super(options.detail ? `${info.message} ${options.detail}` : info.message, { cause: options.cause });
    this.name = "IssuanceError";
    this.code = code;
    this.status = info.status;
    this.oauthError = info.oauth;
    this.hakiError = info.haki;
    this.attemptsLeft = options.attemptsLeft;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Codes of failures `receiveCredential` and `parseCredentialOfferUri` raise in the wallet. */
export type ReceiveErrorCode =
  | "ERR_OFFER_INVALID"
  | "ERR_OFFER_EXPIRED"
  | "ERR_OFFER_ALREADY_USED"
  | "ERR_TX_CODE_REQUIRED"
  | "ERR_TX_CODE_WRONG"
  | "ERR_TX_CODE_LOCKED"
  | "ERR_NETWORK"
  | "ERR_RATE_LIMITED"
  | "ERR_ISSUER"
  | "ERR_CREDENTIAL_REJECTED";

const RECEIVE_MESSAGES: Record<ReceiveErrorCode, string> = {
  ERR_OFFER_INVALID: "This is not a credential offer Haki can read.",
  ERR_OFFER_EXPIRED: "This offer has expired. Ask the programme office for a new one.",
  ERR_OFFER_ALREADY_USED: "This offer was already used. Ask the programme office for a new one.",
  ERR_TX_CODE_REQUIRED: "Enter the PIN you were given with this offer.",
  ERR_TX_CODE_WRONG: "The PIN is wrong. Try again.",
  ERR_TX_CODE_LOCKED: "Too many wrong PINs. Ask the programme office for a new offer.",
  ERR_NETWORK: "The issuer cannot be reached. Check the connection and try again.",
  ERR_RATE_LIMITED: "The issuer is busy with too many requests from this network. Wait a minute and try again.",
  ERR_ISSUER: "The issuer answered with an error. Try again later.",
  ERR_CREDENTIAL_REJECTED: "The card received did not pass its checks and was not saved.",
};

/**
 * A failure while receiving a credential, with a plain-words message the wallet may show as is
 * (or translate by `code`).
 * @example
 * try { await receiveCredential(args); } catch (e) {
 *   if (e instanceof ReceiveError && e.code === "ERR_TX_CODE_WRONG") showPinAgain(e.attemptsLeft);
 * }
 */
export class ReceiveError extends Error {
  readonly code: ReceiveErrorCode;
  readonly attemptsLeft: number | undefined;

  constructor(code: ReceiveErrorCode, options: { cause?: unknown; attemptsLeft?: number; detail?: string } = {}) {
    super(options.detail ? `${RECEIVE_MESSAGES[code]} (${options.detail})` : RECEIVE_MESSAGES[code], { cause: options.cause });
    this.name = "ReceiveError";
    this.code = code;
    this.attemptsLeft = options.attemptsLeft;
  }
}
