/**
 * Errors of the Claim 169 reader. One class per failure, each with a stable `code` (apps translate
 * on it) and a plain-words message for the person at the counter; `cause` is passed on.
 */

export const CLAIM169_ERROR_CODES = [
  "ERR_CLAIM169_EMPTY",
  "ERR_CLAIM169_TOO_LARGE",
  "ERR_CLAIM169_BASE45",
  "ERR_CLAIM169_DECOMPRESS",
  "ERR_CLAIM169_CBOR",
  "ERR_CLAIM169_NOT_COSE",
  "ERR_CLAIM169_ENCRYPTED",
  "ERR_CLAIM169_NOT_CWT",
  "ERR_CLAIM169_MISSING",
  "ERR_CLAIM169_MALFORMED",
  "ERR_CLAIM169_ALG_MISSING",
  "ERR_CLAIM169_ALG_UNSUPPORTED",
  "ERR_CLAIM169_CRITICAL_HEADER",
  "ERR_CLAIM169_ISSUER_UNTRUSTED",
  "ERR_CLAIM169_SIGNATURE_INVALID",
  "ERR_CLAIM169_EXPIRED",
  "ERR_CLAIM169_NOT_YET_VALID",
  "ERR_CLAIM169_EXPIRY_REQUIRED",
  "ERR_CLAIM169_TRUST_LIST_INVALID",
  "ERR_CLAIM169_INPUT_INVALID",
] as const;
export type Claim169ErrorCode = (typeof CLAIM169_ERROR_CODES)[number];

const DEFAULT_MESSAGES: Record<Claim169ErrorCode, string> = {
  ERR_CLAIM169_EMPTY: "This QR code is empty.",
  ERR_CLAIM169_TOO_LARGE: "This QR code holds more data than an ID card can. It cannot be read.",
  ERR_CLAIM169_BASE45: "This is not an ID card QR code, or only part of it was read. Scan it again.",
  ERR_CLAIM169_DECOMPRESS: "This ID card QR code is damaged or was only partly read. Scan it again.",
  ERR_CLAIM169_CBOR: "This ID card QR code is damaged. It cannot be read.",
  ERR_CLAIM169_NOT_COSE: "This QR code is not a signed ID card.",
  ERR_CLAIM169_ENCRYPTED: "This ID card QR code is encrypted. This app cannot read encrypted ID cards.",
  ERR_CLAIM169_NOT_CWT: "This signed QR code does not hold ID card data.",
  ERR_CLAIM169_MISSING: "This signed QR code holds no identity details (no Claim 169).",
  ERR_CLAIM169_MALFORMED: "The identity details in this ID card QR code are damaged.",
  ERR_CLAIM169_ALG_MISSING: "This ID card does not say how it was signed. It cannot be trusted.",
  ERR_CLAIM169_ALG_UNSUPPORTED: "This ID card is signed in a way this app does not accept.",
  ERR_CLAIM169_CRITICAL_HEADER: "This ID card uses a signing feature this app does not know. It cannot be trusted.",
  ERR_CLAIM169_ISSUER_UNTRUSTED: "This ID card was issued by an authority this device does not trust. Add the authority's key first.",
  ERR_CLAIM169_SIGNATURE_INVALID: "This ID card has been changed or is not genuine.",
  ERR_CLAIM169_EXPIRED: "This ID card has expired.",
  ERR_CLAIM169_NOT_YET_VALID: "This ID card is not valid yet.",
  ERR_CLAIM169_EXPIRY_REQUIRED: "This ID card has no end date, and this check needs one.",
  ERR_CLAIM169_TRUST_LIST_INVALID: "The list of trusted ID authorities is damaged.",
  ERR_CLAIM169_INPUT_INVALID: "The ID card details to sign are incomplete or wrong.",
};

/** Base class: every error this package throws on purpose. */
export class Claim169Error extends Error {
  readonly code: Claim169ErrorCode;
  constructor(code: Claim169ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? DEFAULT_MESSAGES[code], options);
    this.code = code;
    this.name = new.target.name;
  }
}

function errorClass<C extends Claim169ErrorCode>(code: C) {
  return class extends Claim169Error {
    declare readonly code: C;
    constructor(message?: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
  };
}

export class Claim169EmptyError extends errorClass("ERR_CLAIM169_EMPTY") {}
export class Claim169TooLargeError extends errorClass("ERR_CLAIM169_TOO_LARGE") {}
export class Claim169Base45Error extends errorClass("ERR_CLAIM169_BASE45") {}
export class Claim169DecompressError extends errorClass("ERR_CLAIM169_DECOMPRESS") {}
export class Claim169CborError extends errorClass("ERR_CLAIM169_CBOR") {}
export class Claim169NotCoseError extends errorClass("ERR_CLAIM169_NOT_COSE") {}
export class Claim169EncryptedError extends errorClass("ERR_CLAIM169_ENCRYPTED") {}
export class Claim169NotCwtError extends errorClass("ERR_CLAIM169_NOT_CWT") {}
export class Claim169MissingError extends errorClass("ERR_CLAIM169_MISSING") {}
export class Claim169MalformedError extends errorClass("ERR_CLAIM169_MALFORMED") {}
export class Claim169AlgMissingError extends errorClass("ERR_CLAIM169_ALG_MISSING") {}
export class Claim169AlgUnsupportedError extends errorClass("ERR_CLAIM169_ALG_UNSUPPORTED") {}
export class Claim169CriticalHeaderError extends errorClass("ERR_CLAIM169_CRITICAL_HEADER") {}
export class Claim169IssuerUntrustedError extends errorClass("ERR_CLAIM169_ISSUER_UNTRUSTED") {}
export class Claim169SignatureInvalidError extends errorClass("ERR_CLAIM169_SIGNATURE_INVALID") {}
export class Claim169ExpiredError extends errorClass("ERR_CLAIM169_EXPIRED") {}
export class Claim169NotYetValidError extends errorClass("ERR_CLAIM169_NOT_YET_VALID") {}
export class Claim169ExpiryRequiredError extends errorClass("ERR_CLAIM169_EXPIRY_REQUIRED") {}
export class Claim169TrustListInvalidError extends errorClass("ERR_CLAIM169_TRUST_LIST_INVALID") {}
export class Claim169InputInvalidError extends errorClass("ERR_CLAIM169_INPUT_INVALID") {}

/**
 * True for errors this package throws on purpose.
 *
 * @example
 * try { await verifyClaim169(text, trust); } catch (e) { if (isClaim169Error(e)) show(e.message); else throw e; }
 */
export function isClaim169Error(e: unknown): e is Claim169Error {
  return e instanceof Claim169Error;
}
