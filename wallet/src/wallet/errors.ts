/**
 * Errors of the wallet's own steps: one class per failure with a stable `code`; `ui/errors.ts`
 * gives each code plain words. Storage failures are `@haki/pwa`'s, PIN and backup failures
 * `@haki/secure-store`'s, protocol failures `@haki/openid4vci`'s `ReceiveError`.
 */
export const WALLET_ERROR_CODES = [
  "ERR_HOLDER_KEY_MISSING",
  "ERR_ISSUER_NOT_TRUSTED",
  "ERR_ISSUER_UNREACHABLE",
  "ERR_CARD_REJECTED",
  "ERR_CARD_STATE_UNAVAILABLE",
] as const;
export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number];

/** Base class: `code` is what callers, screens and tests switch on. */
export class WalletError extends Error {
  readonly code: WalletErrorCode;
  constructor(code: WalletErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The profile has no holder key (damaged or half-restored profile): cards cannot be shown or added. */
export class HolderKeyMissingError extends WalletError {
  static readonly code = "ERR_HOLDER_KEY_MISSING";
  constructor() {
    super("ERR_HOLDER_KEY_MISSING", "This profile has no holder key");
  }
}

/** The card's issuer is not the programme office that offered it (or not allowed here at all). */
export class IssuerNotTrustedError extends WalletError {
  static readonly code = "ERR_ISSUER_NOT_TRUSTED";
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_ISSUER_NOT_TRUSTED", message, options);
  }
}

/** The issuer's keys (its DID document) could not be fetched. */
export class IssuerUnreachableError extends WalletError {
  static readonly code = "ERR_ISSUER_UNREACHABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_ISSUER_UNREACHABLE", message, options);
  }
}

/**
 * What the issuer sent is not a valid entitlement card for this phone; `reason` says why and
 * `detail` carries the verification code of an invalid card (`ERR_EXPIRED`, ...).
 */
export class CardRejectedError extends WalletError {
  static readonly code = "ERR_CARD_REJECTED";
  readonly detail?: string;
  constructor(
    readonly reason: "not-an-entitlement" | "invalid" | "other-holder",
    options?: { cause?: unknown; detail?: string },
  ) {
    super("ERR_CARD_REJECTED", `Card rejected: ${reason}${options?.detail ? ` (${options.detail})` : ""}`, options);
    if (options?.detail) this.detail = options.detail;
  }
}

/** The programme office could not tell the card's state (offline, or it refused the request). */
export class CardStateUnavailableError extends WalletError {
  static readonly code = "ERR_CARD_STATE_UNAVAILABLE";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super("ERR_CARD_STATE_UNAVAILABLE", message, options);
  }
}
