/**
 * Errors of @haki/status-list: one class per failure, each with a stable `code` that programs
 * test, and a message in plain words for the person at the counter or the programme office.
 */

export type StatusListErrorCode =
  | "ERR_STATUS_INDEX_OUT_OF_RANGE"
  | "ERR_STATUS_LIST_LENGTH"
  | "ERR_STATUS_LIST_MALFORMED"
  | "ERR_STATUS_LIST_TOO_LARGE"
  | "ERR_STATUS_LIST_CREDENTIAL_INVALID"
  | "ERR_STATUS_LIST_SIGNATURE"
  | "ERR_STATUS_LIST_EXPIRED"
  | "ERR_STATUS_LIST_NOT_YET_VALID"
  | "ERR_STATUS_LIST_ISSUER_MISMATCH"
  | "ERR_STATUS_LIST_URL_MISMATCH"
  | "ERR_STATUS_PURPOSE_MISMATCH"
  | "ERR_STATUS_LIST_KEY"
  | "ERR_STATUS_LIST_ROLLBACK";

/** Base class: catch this to handle every status list failure at once. */
export class StatusListError extends Error {
  readonly code: StatusListErrorCode;

  constructor(code: StatusListErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An index that is not an integer inside the list (the spec's RANGE_ERROR). */
export class StatusIndexOutOfRangeError extends StatusListError {
  constructor(index: number, length: number, options?: { cause?: unknown }) {
    super(
      "ERR_STATUS_INDEX_OUT_OF_RANGE",
      `Position ${String(index)} is not in this status list (it holds positions 0 to ${length - 1}).`,
      options,
    );
  }
}

/** A list shorter than the herd-privacy minimum, or of a length that is not whole bytes (STATUS_LIST_LENGTH_ERROR). */
export class StatusListLengthError extends StatusListError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_STATUS_LIST_LENGTH", message, options);
  }
}

/** An encoded list that is not multibase base64url of a GZIP stream (MALFORMED_VALUE_ERROR). */
export class StatusListMalformedError extends StatusListError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_STATUS_LIST_MALFORMED", message, options);
  }
}

/** An encoded list that expands past the size the caller accepts (a decompression bomb, or a list too big for this device). */
export class StatusListTooLargeError extends StatusListError {
  constructor(maxBytes: number, options?: { cause?: unknown }) {
    super(
      "ERR_STATUS_LIST_TOO_LARGE",
      `This status list is larger than the ${maxBytes} bytes this device accepts.`,
      options,
    );
  }
}

/** A status list credential whose claims do not have the Bitstring Status List shape. */
export class StatusListCredentialInvalidError extends StatusListError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_STATUS_LIST_CREDENTIAL_INVALID", message, options);
  }
}

/** A status list credential whose signature does not verify with the issuer's key (STATUS_VERIFICATION_ERROR). */
export class StatusListSignatureError extends StatusListError {
  constructor(options?: { cause?: unknown }) {
    super(
      "ERR_STATUS_LIST_SIGNATURE",
      "The status list is not signed by the expected issuer key; it may have been altered.",
      options,
    );
  }
}

/** A status list credential past its `exp`. */
export class StatusListExpiredError extends StatusListError {
  constructor(expiredAt: Date, options?: { cause?: unknown }) {
    super(
      "ERR_STATUS_LIST_EXPIRED",
      `This status list expired on ${expiredAt.toISOString()}; fetch a newer one.`,
      options,
    );
  }
}

/** A status list credential whose `nbf` or `iat` lies in the future. */
export class StatusListNotYetValidError extends StatusListError {
  constructor(options?: { cause?: unknown }) {
    super("ERR_STATUS_LIST_NOT_YET_VALID", "This status list is not valid yet; check the device clock.", options);
  }
}

/** A status list credential from another issuer than the one expected. */
export class StatusListIssuerMismatchError extends StatusListError {
  constructor(expected: string, actual: string, options?: { cause?: unknown }) {
    super(
      "ERR_STATUS_LIST_ISSUER_MISMATCH",
      `This status list was issued by ${actual}, not by ${expected}.`,
      options,
    );
  }
}

/** A status list credential published under another URL than the one the entry names. */
export class StatusListUrlMismatchError extends StatusListError {
  constructor(expected: string, actual: string, options?: { cause?: unknown }) {
    super("ERR_STATUS_LIST_URL_MISMATCH", `Expected the status list ${expected} but got ${actual}.`, options);
  }
}

/** A list whose purpose (revocation, suspension) differs from the entry's or the operation's. */
export class StatusPurposeMismatchError extends StatusListError {
  constructor(expected: string, actual: string, options?: { cause?: unknown }) {
    super("ERR_STATUS_PURPOSE_MISMATCH", `This is a ${actual} list, not a ${expected} list.`, options);
  }
}

/** A signing or verification key that is not an Ed25519 key of the right kind. */
export class StatusListKeyError extends StatusListError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_STATUS_LIST_KEY", message, options);
  }
}

/**
 * A status list older than the copy already held: a proxy or an attacker replaying an earlier
 * signed version (one where a cancelled card was still clear). The held copy stays in use.
 */
export class StatusListRollbackError extends StatusListError {
  constructor(url: string, held: Date, offered: Date, options?: { cause?: unknown }) {
    super(
      "ERR_STATUS_LIST_ROLLBACK",
      `The status list at ${url} issued ${offered.toISOString()} is older than the copy held (issued ${held.toISOString()}); it was refused.`,
      options,
    );
  }
}
