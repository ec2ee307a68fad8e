/**
 * Errors and outcome codes of the ID binding. One class per failure with a stable `code`; the
 * messages are plain words for the person at the counter.
 */

export const ID_BINDING_ERROR_CODES = [
  "ERR_BINDING_INVALID",
  "ERR_BINDING_KEY_UNKNOWN",
  "ERR_BINDING_KEY_INVALID",
  "ERR_BINDING_TOO_COSTLY",
  "ERR_BINDING_INPUT_INVALID",
] as const;
export type IdBindingErrorCode = (typeof ID_BINDING_ERROR_CODES)[number];

const DEFAULT_MESSAGES: Record<IdBindingErrorCode, string> = {
  ERR_BINDING_INVALID: "The link between this card and an ID card is damaged. It cannot be checked.",
  ERR_BINDING_KEY_UNKNOWN: "This device cannot check this card against an ID card yet. Update the device's programme settings.",
  ERR_BINDING_KEY_INVALID: "The programme's ID-check key on this device is damaged.",
  ERR_BINDING_TOO_COSTLY: "This card asks for a check too heavy for this device. It cannot be checked here.",
  ERR_BINDING_INPUT_INVALID: "The national ID number or date of birth to bind is missing or wrong.",
};

/** Base class: every error this package throws on purpose. */
export class IdBindingError extends Error {
  readonly code: IdBindingErrorCode;
  constructor(code: IdBindingErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? DEFAULT_MESSAGES[code], options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The plain-words message for a code. */
export function bindingMessage(code: IdBindingErrorCode): string {
  return DEFAULT_MESSAGES[code];
}
