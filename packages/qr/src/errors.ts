/**
 * Errors of the QR codec. One class per failure, each with a stable `code`; messages are plain
 * words a person at the counter can read out.
 */

export type HakiQrErrorCode =
  | "ERR_QR_NOT_HAKI"
  | "ERR_QR_UNSUPPORTED_VERSION"
  | "ERR_QR_TRUNCATED"
  | "ERR_QR_CORRUPT"
  | "ERR_QR_UNKNOWN_ISSUER"
  | "ERR_QR_INVALID_INPUT"
  | "ERR_QR_TOO_LARGE";

/** Base class: every error `decodeProof` / `encodeProof` throws is one of these. */
export class HakiQrError extends Error {
  readonly code: HakiQrErrorCode;
  constructor(code: HakiQrErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The text is not a Haki proof (no `HK` prefix, or not QR alphanumeric text). */
export class QrNotHakiError extends HakiQrError {
  constructor(message = "This QR code is not a Haki entitlement.", options?: { cause?: unknown }) {
    super("ERR_QR_NOT_HAKI", message, options);
  }
}

/** A Haki proof of a format version this software does not know (made by a newer issuer). */
export class QrUnsupportedVersionError extends HakiQrError {
  constructor(version: string, options?: { cause?: unknown }) {
    super(
      "ERR_QR_UNSUPPORTED_VERSION",
      `This Haki QR code uses format ${version}, which this app cannot read yet. Update the app.`,
      options,
    );
  }
}

/** The payload ends too early: a partial scan or a cut-off copy. */
export class QrTruncatedError extends HakiQrError {
  constructor(message = "Only part of this QR code was read. Scan it again.", options?: { cause?: unknown }) {
    super("ERR_QR_TRUNCATED", message, options);
  }
}

/** The payload has the Haki prefix but its content was changed or damaged. */
export class QrCorruptError extends HakiQrError {
  constructor(message = "This QR code is damaged or was changed. It cannot be trusted.", options?: { cause?: unknown }) {
    super("ERR_QR_CORRUPT", message, options);
  }
}

/**
 * The payload names its issuer by a short reference (to save space) and this device's trust list
 * has no such issuer (or two that share it): it cannot be shown, let alone verified.
 */
export class QrUnknownIssuerError extends HakiQrError {
  constructor(message = "This card is from an issuer this device does not know. Update the trusted issuers list.", options?: { cause?: unknown }) {
    super("ERR_QR_UNKNOWN_ISSUER", message, options);
  }
}

/** `encodeProof` was given something that is not a compact JWS (JWT). */
export class QrInvalidInputError extends HakiQrError {
  constructor(message = "The proof to encode is not a signed JWT.", options?: { cause?: unknown }) {
    super("ERR_QR_INVALID_INPUT", message, options);
  }
}

/** `encodeProof` was given a JWT too large for any QR code even once compressed. */
export class QrTooLargeError extends HakiQrError {
  constructor(message = "This proof is too large for a QR code.", options?: { cause?: unknown }) {
    super("ERR_QR_TOO_LARGE", message, options);
  }
}

/**
 * True for errors this package throws on purpose.
 *
 * @example
 * try { decodeProof(text); } catch (e) { if (isHakiQrError(e)) show(e.message); else throw e; }
 */
export function isHakiQrError(e: unknown): e is HakiQrError {
  return e instanceof HakiQrError;
}
