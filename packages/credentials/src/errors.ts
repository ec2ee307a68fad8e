/**
 * Stable error codes and error classes of the credentials package.
 *
 * Verification never throws for bad input: it returns `{ valid: false, code, reason, error }`. The
 * `code` is for machines (tests, logs, translations); `reason` is plain words for the person at the
 * counter; `error` is the matching class below, with `cause` when there was one. Issuing functions
 * (`signCredential`, `signPresentation`) throw these classes on bad input.
 */

/** Every code a verification can fail with. Stable: apps translate on them. */
export const VERIFICATION_ERROR_CODES = [
  "ERR_MALFORMED",
  "ERR_ALG_UNSUPPORTED",
  "ERR_ISSUER_UNTRUSTED",
  "ERR_SIGNATURE_INVALID",
  "ERR_WRONG_TYPE",
  "ERR_SCHEMA_VIOLATION",
  "ERR_NOT_YET_VALID",
  "ERR_EXPIRED",
  "ERR_REVOKED",
  "ERR_SUSPENDED",
  "ERR_STATUS_UNAVAILABLE",
  "ERR_HOLDER_BINDING",
  "ERR_HOLDER_PROOF_REQUIRED",
  "ERR_PRESENTATION_STALE",
  "ERR_PRESENTATION_REPLAYED",
  "ERR_NONCE_MISMATCH",
] as const;
export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number];

/**
 * Codes only SD-JWT VC verification gives (`@haki/credentials/sd-jwt`), kept apart from
 * `VerificationErrorCode` so code that maps every VC-JWT code keeps compiling.
 */
export const SD_JWT_ERROR_CODES = ["ERR_DISCLOSURE_INVALID", "ERR_KEY_BINDING_MISSING", "ERR_KEY_BINDING_INVALID"] as const;
export type SdJwtErrorCode = (typeof SD_JWT_ERROR_CODES)[number];

/** Codes thrown by the issuing side (bad input to sign, unusable keys, trust list errors). */
export const USAGE_ERROR_CODES = ["ERR_INPUT_INVALID", "ERR_KEY_INVALID", "ERR_KEY_MISMATCH", "ERR_TRUST_LIST_INVALID"] as const;
export type UsageErrorCode = (typeof USAGE_ERROR_CODES)[number];

export type HakiCredentialErrorCode = VerificationErrorCode | SdJwtErrorCode | UsageErrorCode;

/** Plain-words default reasons, shown at the counter when the app has no translation. */
export const DEFAULT_REASONS: Record<HakiCredentialErrorCode, string> = {
  ERR_MALFORMED: "This code is not a readable Haki card. It may be damaged or from another system.",
  ERR_ALG_UNSUPPORTED: "This card is signed in a way Haki does not accept.",
  ERR_ISSUER_UNTRUSTED: "This card was not issued by a programme this device trusts.",
  ERR_SIGNATURE_INVALID: "This card has been changed or is not genuine.",
  ERR_WRONG_TYPE: "This is not an entitlement card.",
  ERR_SCHEMA_VIOLATION: "This card's contents are incomplete or wrong.",
  ERR_NOT_YET_VALID: "This card is not valid yet.",
  ERR_EXPIRED: "This card has expired.",
  ERR_REVOKED: "This card was cancelled.",
  ERR_SUSPENDED: "This card is on hold. The person should contact the programme.",
  ERR_STATUS_UNAVAILABLE: "This device has no recent cancellation list for this card. Connect to update it first.",
  ERR_HOLDER_BINDING: "This card does not belong to the phone that showed it.",
  ERR_HOLDER_PROOF_REQUIRED: "This card belongs to a phone wallet. Ask the person to show it from their phone.",
  ERR_PRESENTATION_STALE: "This code is too old. Ask the person to show a fresh code.",
  ERR_PRESENTATION_REPLAYED: "This code was already used. Ask the person to show a fresh code.",
  ERR_NONCE_MISMATCH: "This code was made for another check. Ask the person to show a fresh code.",
  ERR_DISCLOSURE_INVALID: "Part of this card was changed after it was issued.",
  ERR_KEY_BINDING_MISSING: "This card must be shown from the phone it belongs to. Ask the person to show a fresh code.",
  ERR_KEY_BINDING_INVALID: "This code was not made by the phone the card belongs to.",
  ERR_INPUT_INVALID: "The entitlement details are incomplete or wrong.",
  ERR_KEY_INVALID: "The signing key cannot be used.",
  ERR_KEY_MISMATCH: "The signing key does not belong to this issuer or holder.",
  ERR_TRUST_LIST_INVALID: "The list of trusted issuers is damaged.",
};

/** Base class: every error of this package has a stable `code`. */
export class HakiCredentialError extends Error {
  readonly code: HakiCredentialErrorCode;
  constructor(code: HakiCredentialErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? DEFAULT_REASONS[code], options);
    this.code = code;
    this.name = new.target.name;
  }
}

function errorClass<C extends HakiCredentialErrorCode>(code: C) {
  return class extends HakiCredentialError {
    declare readonly code: C;
    constructor(message?: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
  };
}

export class MalformedError extends errorClass("ERR_MALFORMED") {}
export class AlgorithmUnsupportedError extends errorClass("ERR_ALG_UNSUPPORTED") {}
export class IssuerUntrustedError extends errorClass("ERR_ISSUER_UNTRUSTED") {}
export class SignatureInvalidError extends errorClass("ERR_SIGNATURE_INVALID") {}
export class WrongTypeError extends errorClass("ERR_WRONG_TYPE") {}
export class SchemaViolationError extends errorClass("ERR_SCHEMA_VIOLATION") {}
export class NotYetValidError extends errorClass("ERR_NOT_YET_VALID") {}
export class ExpiredError extends errorClass("ERR_EXPIRED") {}
export class RevokedError extends errorClass("ERR_REVOKED") {}
export class SuspendedError extends errorClass("ERR_SUSPENDED") {}
export class StatusUnavailableError extends errorClass("ERR_STATUS_UNAVAILABLE") {}
export class HolderBindingError extends errorClass("ERR_HOLDER_BINDING") {}
export class HolderProofRequiredError extends errorClass("ERR_HOLDER_PROOF_REQUIRED") {}
export class PresentationStaleError extends errorClass("ERR_PRESENTATION_STALE") {}
export class PresentationReplayedError extends errorClass("ERR_PRESENTATION_REPLAYED") {}
export class NonceMismatchError extends errorClass("ERR_NONCE_MISMATCH") {}
export class DisclosureInvalidError extends errorClass("ERR_DISCLOSURE_INVALID") {}
export class KeyBindingMissingError extends errorClass("ERR_KEY_BINDING_MISSING") {}
export class KeyBindingInvalidError extends errorClass("ERR_KEY_BINDING_INVALID") {}
export class InputInvalidError extends errorClass("ERR_INPUT_INVALID") {}
export class KeyInvalidError extends errorClass("ERR_KEY_INVALID") {}
export class KeyMismatchError extends errorClass("ERR_KEY_MISMATCH") {}
export class TrustListInvalidError extends errorClass("ERR_TRUST_LIST_INVALID") {}

const CLASSES: Record<HakiCredentialErrorCode, new (message?: string, options?: { cause?: unknown }) => HakiCredentialError> = {
  ERR_MALFORMED: MalformedError,
  ERR_ALG_UNSUPPORTED: AlgorithmUnsupportedError,
  ERR_ISSUER_UNTRUSTED: IssuerUntrustedError,
  ERR_SIGNATURE_INVALID: SignatureInvalidError,
  ERR_WRONG_TYPE: WrongTypeError,
  ERR_SCHEMA_VIOLATION: SchemaViolationError,
  ERR_NOT_YET_VALID: NotYetValidError,
  ERR_EXPIRED: ExpiredError,
  ERR_REVOKED: RevokedError,
  ERR_SUSPENDED: SuspendedError,
  ERR_STATUS_UNAVAILABLE: StatusUnavailableError,
  ERR_HOLDER_BINDING: HolderBindingError,
  ERR_HOLDER_PROOF_REQUIRED: HolderProofRequiredError,
  ERR_PRESENTATION_STALE: PresentationStaleError,
  ERR_PRESENTATION_REPLAYED: PresentationReplayedError,
  ERR_NONCE_MISMATCH: NonceMismatchError,
  ERR_DISCLOSURE_INVALID: DisclosureInvalidError,
  ERR_KEY_BINDING_MISSING: KeyBindingMissingError,
  ERR_KEY_BINDING_INVALID: KeyBindingInvalidError,
  ERR_INPUT_INVALID: InputInvalidError,
  ERR_KEY_INVALID: KeyInvalidError,
  ERR_KEY_MISMATCH: KeyMismatchError,
  ERR_TRUST_LIST_INVALID: TrustListInvalidError,
};

/**
 * The error class instance for a code.
 *
 * @example
 * throw createError("ERR_REVOKED", "This card was cancelled on 3 May");
 */
export function createError(code: HakiCredentialErrorCode, message?: string, cause?: unknown): HakiCredentialError {
  return new CLASSES[code](message, cause === undefined ? undefined : { cause });
}

/**
 * True when `e` is an error of this package (optionally with a given code).
 *
 * @example
 * if (isHakiCredentialError(e, "ERR_INPUT_INVALID")) showForm(e.message);
 */
export function isHakiCredentialError(e: unknown, code?: HakiCredentialErrorCode): e is HakiCredentialError {
  return e instanceof HakiCredentialError && (code === undefined || e.code === code);
}
