/**
 * The issuer's one API error type and one map from every error code the issuer can meet (its own
 * and each package's) to an HTTP status. The map is typed `Record<ErrorCode, number>` over the
 * packages' code unions: a code added to a package without a status here does not compile.
 */
import { ZodError } from "zod";
import type { CardStateErrorCode } from "@haki/card-state/errors";
import type { HakiCredentialErrorCode } from "@haki/credentials/errors";
import type { DbErrorCode } from "@haki/db";
import type { IssuanceErrorCode as Oid4vciErrorCode } from "@haki/openid4vci/errors";
import type { Openid4vpErrorCode } from "@haki/openid4vp/errors";
import type { PaperCardErrorCode } from "@haki/paper-card/errors";
import type { HakiQrErrorCode } from "@haki/qr/errors";
import type { RedemptionErrorCode } from "@haki/redemption/codes";
import type { RegistryErrorCode, RegistryRowErrorCode } from "@haki/registry/connector";
import type { StatusListErrorCode } from "@haki/status-list/errors";
import type { EntitlementUnavailableError } from "@/server/delivery/sign-entitlement";
import type { IssuanceJobErrorCode } from "@/server/issuance/errors";
import type { KeyStoreError } from "@/server/keys/local-key-store";
import type { StoredDataInvalidError } from "@/server/lib/json-column";

/** Codes the issuer's routes and server actions answer with. */
export const API_ERROR_CODES = [
  "ERR_BAD_REQUEST",
  "ERR_UNAUTHENTICATED",
  "ERR_FORBIDDEN",
  "ERR_CSRF",
  "ERR_FOUR_EYES",
  "ERR_FROZEN_SET_CHANGED",
  "ERR_NOT_CONFIRMED",
  "ERR_NOT_FOUND",
  "ERR_CONFLICT",
  "ERR_INVALID_STATE",
  "ERR_PAYLOAD_TOO_LARGE",
  "ERR_UNSUPPORTED_MEDIA_TYPE",
  "ERR_TOO_MANY_ATTEMPTS",
  "ERR_REGISTRY_TOKEN_REQUIRED",
  "ERR_DEVICE_REVOKED",
  "ERR_PASSWORD_CHANGE_REQUIRED",
  "ERR_KEY_DISTRUSTED",
  "ERR_PHONE_FORM_ACTIVE",
  "ERR_INTERNAL",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Every code an error thrown inside the issuer can carry. */
export type ErrorCode =
  | ApiErrorCode
  | IssuanceJobErrorCode
  | (typeof StoredDataInvalidError)["code"]
  | KeyStoreError["code"]
  | EntitlementUnavailableError["code"]
  | HakiCredentialErrorCode
  | HakiQrErrorCode
  | StatusListErrorCode
  | Oid4vciErrorCode
  | RedemptionErrorCode
  | RegistryErrorCode
  | RegistryRowErrorCode
  | PaperCardErrorCode
  | CardStateErrorCode
  | Openid4vpErrorCode
  | DbErrorCode;

/**
 * The HTTP status of each code. 400: what the caller sent cannot be used (the same request will
 * fail again); 5xx: the issuer's own data, configuration or a system it depends on failed (the
 * route wrapper answers 500 as `ERR_INTERNAL`, without the details).
 */
export const errorCodeToHttpStatus: Record<ErrorCode, number> = {
  // the issuer's API
  ERR_BAD_REQUEST: 400,
  ERR_UNAUTHENTICATED: 401,
  ERR_FORBIDDEN: 403,
  ERR_CSRF: 403,
  ERR_FOUR_EYES: 403,
  ERR_FROZEN_SET_CHANGED: 409, // the frozen eligible list is not the one approved (or shown)
  ERR_NOT_CONFIRMED: 400, // an irreversible action sent without the person's confirmation
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_INVALID_STATE: 409,
  ERR_PHONE_FORM_ACTIVE: 409, // paper asked for while a phone holds the programme's one bearer form
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_TOO_MANY_ATTEMPTS: 429,
  ERR_REGISTRY_TOKEN_REQUIRED: 400, // a DCI source's address changed without its token entered again
  ERR_DEVICE_REVOKED: 403,
  ERR_PASSWORD_CHANGE_REQUIRED: 403,
  ERR_KEY_DISTRUSTED: 400, // a credential signed by an issuer key that was distrusted
  ERR_INTERNAL: 500,
  // the issuer's bulk issuance and stored data
  ERR_ISSUANCE_LEASE_LOST: 409,
  ERR_ISSUANCE_ABORTED: 503,
  ERR_STORED_DATA_INVALID: 500,
  ERR_KEY_DECRYPT: 500, // an issuer key that the configured key-encryption key cannot open
  ERR_ENTITLEMENT_UNAVAILABLE: 409, // revoked or suspended after the offer was made
  // @haki/credentials: a credential or presentation sent to be checked, or input to sign
  ERR_MALFORMED: 400,
  ERR_ALG_UNSUPPORTED: 400,
  ERR_ISSUER_UNTRUSTED: 400,
  ERR_SIGNATURE_INVALID: 400,
  ERR_WRONG_TYPE: 400,
  ERR_SCHEMA_VIOLATION: 400,
  ERR_NOT_YET_VALID: 400,
  ERR_EXPIRED: 400,
  ERR_REVOKED: 400,
  ERR_SUSPENDED: 400,
  ERR_STATUS_UNAVAILABLE: 400,
  ERR_HOLDER_BINDING: 400,
  ERR_HOLDER_PROOF_REQUIRED: 400,
  ERR_PRESENTATION_STALE: 400,
  ERR_PRESENTATION_REPLAYED: 400,
  ERR_COUNTER_CODE_MISMATCH: 400,
  ERR_COUNTER_CODE_REQUIRED: 400,
  ERR_NONCE_MISMATCH: 400,
  ERR_DISCLOSURE_INVALID: 400,
  ERR_KEY_BINDING_MISSING: 400,
  ERR_KEY_BINDING_INVALID: 400,
  ERR_INPUT_INVALID: 400,
  ERR_KEY_INVALID: 400,
  ERR_KEY_MISMATCH: 500, // the issuer's own signing key does not match its DID
  ERR_TRUST_LIST_INVALID: 500, // the issuer's own trust list
  // @haki/qr: a QR payload sent to be read
  ERR_QR_NOT_HAKI: 400,
  ERR_QR_UNSUPPORTED_VERSION: 400,
  ERR_QR_TRUNCATED: 400,
  ERR_QR_CORRUPT: 400,
  ERR_QR_UNKNOWN_ISSUER: 400,
  ERR_QR_INVALID_INPUT: 400,
  ERR_QR_TOO_LARGE: 500, // a credential the issuer made does not fit a QR code (also @haki/paper-card)
  // @haki/status-list: lists the issuer signs and serves itself
  ERR_STATUS_INDEX_OUT_OF_RANGE: 400,
  ERR_STATUS_PURPOSE_MISMATCH: 400,
  ERR_STATUS_LIST_LENGTH: 500,
  ERR_STATUS_LIST_MALFORMED: 500,
  ERR_STATUS_LIST_TOO_LARGE: 500,
  ERR_STATUS_LIST_CREDENTIAL_INVALID: 500,
  ERR_STATUS_LIST_SIGNATURE: 500,
  ERR_STATUS_LIST_EXPIRED: 500,
  ERR_STATUS_LIST_NOT_YET_VALID: 500,
  ERR_STATUS_LIST_ISSUER_MISMATCH: 500,
  ERR_STATUS_LIST_URL_MISMATCH: 500,
  ERR_STATUS_LIST_KEY: 500,
  ERR_STATUS_LIST_ROLLBACK: 409, // a list older than the copy held (also @haki/redemption)
  // @haki/openid4vci (its endpoints answer in the OAuth shape; these are its statuses)
  ERR_INVALID_REQUEST: 400,
  ERR_UNSUPPORTED_GRANT_TYPE: 400,
  ERR_OFFER_UNKNOWN: 400,
  ERR_OFFER_EXPIRED: 400,
  ERR_OFFER_ALREADY_USED: 400,
  ERR_TX_CODE_REQUIRED: 400,
  ERR_TX_CODE_WRONG: 400,
  ERR_TX_CODE_LOCKED: 400,
  ERR_INVALID_TOKEN: 401,
  ERR_INVALID_PROOF: 400,
  ERR_INVALID_NONCE: 400,
  ERR_UNKNOWN_CREDENTIAL_CONFIGURATION: 400,
  ERR_INVALID_CREDENTIAL_REQUEST: 400,
  ERR_CREDENTIAL_REQUEST_DENIED: 400,
  ERR_INVALID_NOTIFICATION_ID: 400,
  ERR_INVALID_NOTIFICATION_REQUEST: 400,
  ERR_RATE_LIMITED: 429,
  ERR_ISSUANCE_FAILED: 500,
  // @haki/redemption: what a verifier device sends (proofs, receipts, set-up codes, bundles)
  ERR_PROOF_MALFORMED: 400,
  ERR_NOT_AN_ENTITLEMENT: 400,
  ERR_CREDENTIAL_NOT_YET_VALID: 400,
  ERR_CREDENTIAL_EXPIRED: 400,
  ERR_CREDENTIAL_REVOKED: 400,
  ERR_CREDENTIAL_SUSPENDED: 400,
  ERR_STATUS_UNKNOWN: 400,
  ERR_STATUS_STALE: 400,
  ERR_TRUST_STALE: 400,
  ERR_NOT_ENROLLED: 403,
  ERR_HOLDER_MISMATCH: 400,
  ERR_LIVE_PROOF_REQUIRED: 400,
  ERR_PROGRAMME_NOT_ALLOWED: 403,
  ERR_SERVICE_POINT_NOT_ALLOWED: 403,
  ERR_AREA_NOT_ALLOWED: 403,
  ERR_ALREADY_REDEEMED: 409,
  ERR_BALANCE_USED_UP: 409,
  ERR_AMOUNT_INVALID: 400,
  ERR_AMOUNT_EXCEEDS_BALANCE: 409,
  ERR_PARTIAL_NOT_ALLOWED: 409,
  ERR_SETUP_CODE_INVALID: 400,
  ERR_TRUST_BUNDLE_INVALID: 400,
  ERR_TRUST_BUNDLE_UNTRUSTED: 400,
  ERR_TRUST_BUNDLE_ROLLBACK: 409,
  ERR_STATUS_LIST_INVALID: 400,
  ERR_RECEIPT_INVALID: 400,
  ERR_RECEIPT_SIGNATURE_INVALID: 400,
  ERR_RECEIPT_UNKNOWN_DEVICE: 403,
  ERR_RECEIPT_DEVICE_REVOKED: 403,
  ERR_RECEIPT_SERVICE_POINT_MISMATCH: 403,
  ERR_RECEIPT_SERVICE_POINT_DISABLED: 403,
  ERR_RECEIPT_ENTITLEMENT_UNKNOWN: 400,
  ERR_RECEIPT_ENTITLEMENT_MISMATCH: 400,
  ERR_RECEIPT_PROGRAMME_NOT_SERVED: 403,
  // @haki/registry: a file or registry answer being imported
  ERR_ROW_INVALID: 400,
  ERR_ROW_MALFORMED: 400,
  ERR_ROW_COLUMN_COUNT: 400,
  ERR_REGISTRY_MISSING_COLUMN: 400,
  ERR_REGISTRY_EMPTY: 400,
  ERR_REGISTRY_READ: 400,
  ERR_REGISTRY_ABORTED: 409,
  ERR_REGISTRY_UNREACHABLE: 502,
  ERR_REGISTRY_TIMEOUT: 504,
  ERR_REGISTRY_HTTP: 502,
  ERR_REGISTRY_UNAUTHORIZED: 502, // the registry refused the issuer's token: not the caller's sign-in
  ERR_REGISTRY_BAD_RESPONSE: 502,
  ERR_REGISTRY_SIGNATURE: 502,
  ERR_REGISTRY_REJECTED: 502,
  ERR_REGISTRY_ADDRESS_REFUSED: 400, // the address an officer typed is not one Haki calls
  ERR_REGISTRY_REDIRECT: 502,
  // @haki/paper-card: cards printed from the issuer's own data
  ERR_CARD_INVALID: 500,
  ERR_GLYPH_MISSING: 422, // a name no bundled font can print: the office must correct the record
  // @haki/card-state: a wallet's signed request for its own cards' state
  ERR_CARD_STATE_REQUEST_INVALID: 400,
  ERR_CARD_STATE_SIGNATURE_INVALID: 403,
  ERR_CARD_STATE_REQUEST_STALE: 403,
  ERR_CARD_STATE_AUDIENCE: 403,
  // @haki/openid4vp: the relay's callers (a verifier device, a wallet posting its answer)
  ERR_VP_REQUEST_INVALID: 400,
  ERR_VP_REQUEST_UNREACHABLE: 502,
  ERR_VP_CLIENT_UNSUPPORTED: 400,
  ERR_VP_CLIENT_UNTRUSTED: 400,
  ERR_VP_NO_MATCH: 400,
  ERR_VP_CONSENT_EXCEEDED: 400,
  ERR_VP_FORMAT_UNSUPPORTED: 400,
  ERR_VP_RESPONSE_INVALID: 400,
  ERR_VP_RESPONSE_UNDECRYPTABLE: 400,
  ERR_VP_STATE_MISMATCH: 400,
  ERR_VP_REQUEST_EXPIRED: 410,
  ERR_VP_PRESENTATION_INVALID: 400,
  ERR_VP_QUERY_NOT_SATISFIED: 400,
  ERR_VP_SUBMIT_FAILED: 502,
  ERR_RELAY_UNKNOWN_REQUEST: 404,
  ERR_RELAY_ALREADY_ANSWERED: 409,
  ERR_RELAY_EXPIRED: 410,
  ERR_RELAY_NOT_ENCRYPTED: 400,
  ERR_RELAY_TOO_LARGE: 413,
  ERR_RELAY_FORBIDDEN: 403,
  // @haki/db
  ERR_DB_URL_UNSUPPORTED: 500,
  ERR_MIGRATION_CHANGED: 500,
  ERR_MIGRATION_FAILED: 500,
  ERR_BULK_INPUT: 500,
  ERR_BULK_COUNTER_MISSING: 500,
};

/**
 * The code of a thrown value when it is one the map knows (null otherwise: a driver's `P2002`,
 * Node's `ENOENT`, a plain Error).
 *
 * @example
 * knownErrorCode(new QrCorruptError()); // "ERR_QR_CORRUPT"
 */
export function knownErrorCode(e: unknown): ErrorCode | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && Object.hasOwn(errorCodeToHttpStatus, code) ? (code as ErrorCode) : null;
}

/**
 * A failure a caller can act on.
 *
 * @example
 * throw new ApiError("ERR_FOUR_EYES", "You prepared this cycle: another approver must approve it.");
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details?: unknown;
  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options);
    this.name = "ApiError";
    this.code = code;
    this.details = options?.details;
  }
  get status(): number {
    return errorCodeToHttpStatus[this.code];
  }
}

/** What a caller is told about a failure: status, code, plain words, and details when safe. */
export interface ErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/**
 * What to tell a caller (a route's JSON answer, a server action's result) about any thrown value.
 * An ApiError is answered as thrown; a validation error is a 400 with the paths; a package error
 * gets its status from `errorCodeToHttpStatus` and its own words, unless that status is 500: then,
 * as for anything without a known code, the answer is `ERR_INTERNAL` in plain words (`internal`
 * true: log it) without the details.
 *
 * @example
 * describeError(new QrCorruptError()); // { status: 400, code: "ERR_QR_CORRUPT", message: "This QR code is damaged ..." }
 */
export function describeError(e: unknown): ErrorAnswer & { internal: boolean } {
  // An ApiError is thrown on purpose, with words meant for the caller.
  if (e instanceof ApiError) return { status: e.status, code: e.code, message: e.message, details: e.details, internal: false };
  if (e instanceof ZodError) {
    const details = e.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return { status: 400, code: "ERR_BAD_REQUEST", message: "The request is not valid.", details, internal: false };
  }
  const code = knownErrorCode(e);
  const status = code ? errorCodeToHttpStatus[code] : 500;
  if (code && status !== 500) return { status, code, message: (e as Error).message, internal: false };
  return { status: 500, code: "ERR_INTERNAL", message: "Something went wrong on the issuer; try again later.", internal: true };
}
