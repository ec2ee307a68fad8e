/**
 * Errors of the verifier's own steps (enrolment, sync, recording a hand-over): one class per
 * failure with a stable `code`; the screens show `reason.<code>` in the operator's language. Checks
 * and receipts raise `@haki/redemption`'s coded errors, storage `@haki/pwa`'s.
 */
export const VERIFIER_ERROR_CODES = ["ERR_ISSUER_REQUEST", "ERR_NOT_ENROLLED"] as const;
export type VerifierErrorCode = (typeof VERIFIER_ERROR_CODES)[number];

/** Base class: `code` is what callers, screens and tests switch on. */
export class VerifierError extends Error {
  readonly code: VerifierErrorCode;
  constructor(code: VerifierErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A failure talking to the issuer, with the HTTP status when there was one. */
export class IssuerRequestError extends VerifierError {
  static readonly code = "ERR_ISSUER_REQUEST";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super("ERR_ISSUER_REQUEST", message, options);
  }
}

/** The device has no enrolment or no receipt key: it must be set up (again) before it can record. */
export class NotEnrolledError extends VerifierError {
  static readonly code = "ERR_NOT_ENROLLED";
  constructor(message = "This device is not set up; set it up again", options?: { cause?: unknown }) {
    super("ERR_NOT_ENROLLED", message, options);
  }
}
