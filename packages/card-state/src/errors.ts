/**
 * Why a card-state request is refused: one class, a stable `code` per failure (the issuer answers
 * them as 400 or 403; tests switch on `code`).
 */
export const CARD_STATE_ERROR_CODES = [
  "ERR_CARD_STATE_REQUEST_INVALID",
  "ERR_CARD_STATE_SIGNATURE_INVALID",
  "ERR_CARD_STATE_REQUEST_STALE",
  "ERR_CARD_STATE_AUDIENCE",
] as const;
export type CardStateErrorCode = (typeof CARD_STATE_ERROR_CODES)[number];

export class CardStateError extends Error {
  readonly code: CardStateErrorCode;
  constructor(code: CardStateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "CardStateError";
  }
}
