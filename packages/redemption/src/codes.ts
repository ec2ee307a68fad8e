/**
 * Stable codes for every way a check or a redemption can fail, and the i18n keys of their
 * plain-words reasons (namespace `verifier`, key `reason.<code>`). Machines read the code; the
 * person at the counter reads the reason.
 */

/** Why a proof gets a red answer. */
export const REJECTION_CODES = [
  "ERR_PROOF_MALFORMED",
  "ERR_NOT_AN_ENTITLEMENT",
  "ERR_SIGNATURE_INVALID",
  "ERR_ISSUER_UNTRUSTED",
  "ERR_CREDENTIAL_NOT_YET_VALID",
  "ERR_CREDENTIAL_EXPIRED",
  "ERR_CREDENTIAL_REVOKED",
  "ERR_CREDENTIAL_SUSPENDED",
  "ERR_STATUS_UNKNOWN",
  "ERR_STATUS_STALE",
  "ERR_TRUST_STALE",
  "ERR_NOT_ENROLLED",
  "ERR_HOLDER_MISMATCH",
  "ERR_PRESENTATION_STALE",
  "ERR_PRESENTATION_REPLAYED",
  // Issue 12, relay: the phone's code carries another counter's code, or none where one is required.
  "ERR_COUNTER_CODE_MISMATCH",
  "ERR_COUNTER_CODE_REQUIRED",
  "ERR_LIVE_PROOF_REQUIRED",
  "ERR_PROGRAMME_NOT_ALLOWED",
  "ERR_SERVICE_POINT_NOT_ALLOWED",
  "ERR_AREA_NOT_ALLOWED",
  "ERR_ALREADY_REDEEMED",
  "ERR_BALANCE_USED_UP",
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Why a redemption (the hand-over) cannot be recorded. */
export const REDEMPTION_CODES = [
  "ERR_ALREADY_REDEEMED",
  "ERR_BALANCE_USED_UP",
  "ERR_AMOUNT_INVALID",
  "ERR_AMOUNT_EXCEEDS_BALANCE",
  "ERR_PARTIAL_NOT_ALLOWED",
] as const;
export type RedemptionCode = (typeof REDEMPTION_CODES)[number];

const TRUST_BUNDLE_CODES = ["ERR_TRUST_BUNDLE_INVALID", "ERR_TRUST_BUNDLE_UNTRUSTED", "ERR_TRUST_BUNDLE_ROLLBACK"] as const;
const STATUS_LIST_CODES = ["ERR_STATUS_LIST_INVALID", "ERR_STATUS_LIST_ROLLBACK"] as const;
const RECEIPT_CODES = [
  "ERR_RECEIPT_INVALID",
  "ERR_RECEIPT_SIGNATURE_INVALID",
  "ERR_RECEIPT_UNKNOWN_DEVICE",
  // The issuer's checks of a receipt against its records (final: the device drops the receipt).
  "ERR_RECEIPT_DEVICE_REVOKED",
  "ERR_RECEIPT_SERVICE_POINT_MISMATCH",
  "ERR_RECEIPT_SERVICE_POINT_DISABLED",
  "ERR_RECEIPT_ENTITLEMENT_UNKNOWN",
  "ERR_RECEIPT_ENTITLEMENT_MISMATCH",
  "ERR_RECEIPT_PROGRAMME_NOT_SERVED",
] as const;

/** Failures of the data formats this package reads (set-up codes, bundles, receipts). */
export const FORMAT_CODES = ["ERR_SETUP_CODE_INVALID", ...TRUST_BUNDLE_CODES, ...STATUS_LIST_CODES, ...RECEIPT_CODES] as const;
export type FormatCode = (typeof FORMAT_CODES)[number];

export type RedemptionErrorCode = RejectionCode | RedemptionCode | FormatCode;

/**
 * The i18n key of a code's plain-words reason.
 *
 * @example
 * t(reasonKey("ERR_CREDENTIAL_REVOKED")); // "This entitlement was cancelled by the programme."
 */
export function reasonKey(code: RedemptionErrorCode): `reason.${RedemptionErrorCode}` {
  return `reason.${code}`;
}

/** Base class: every error of this package carries a stable `code`. */
export class RedemptionError extends Error {
  readonly code: RedemptionErrorCode;
  constructor(code: RedemptionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedemptionError";
    this.code = code;
  }
}

/** A set-up code that is not Haki's or is damaged. */
export class SetupCodeError extends RedemptionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_SETUP_CODE_INVALID", message, options);
    this.name = "SetupCodeError";
  }
}

/**
 * A family of the package's errors with its own narrower codes: the base constructor, typed to take
 * (and carry) only those codes.
 */
class RedemptionErrorOf<C extends RedemptionErrorCode> extends RedemptionError {
  declare readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A trust bundle that is malformed, not signed by a trusted key, or older than the one held. */
export class TrustBundleError extends RedemptionErrorOf<(typeof TRUST_BUNDLE_CODES)[number]> {
  override name = "TrustBundleError";
}

/**
 * A fetched status list the device refuses: malformed or not signed by a trusted issuer
 * (ERR_STATUS_LIST_INVALID), or older than the copy it holds (ERR_STATUS_LIST_ROLLBACK). The
 * `@haki/status-list` error that decided it is the `cause`. (Not `@haki/status-list`'s
 * `StatusListError`, the base class of that package's own errors.)
 */
export class StatusListRefusedError extends RedemptionErrorOf<(typeof STATUS_LIST_CODES)[number]> {
  override name = "StatusListRefusedError";
}

/** A receipt that is malformed, tampered with, or signed by a device nobody enrolled. */
export class ReceiptError extends RedemptionErrorOf<(typeof RECEIPT_CODES)[number]> {
  override name = "ReceiptError";
}

/** A hand-over the device refuses to record. */
export class RedeemError extends RedemptionErrorOf<RedemptionCode> {
  override name = "RedeemError";
}
