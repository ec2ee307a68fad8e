/**
 * Errors of the OpenID4VP package. One class per failure with a stable `code`; messages are plain
 * words for the person holding the phone or standing at the counter.
 */

export const OPENID4VP_ERROR_CODES = [
  "ERR_VP_REQUEST_INVALID",
  "ERR_VP_REQUEST_UNREACHABLE",
  "ERR_VP_CLIENT_UNSUPPORTED",
  "ERR_VP_CLIENT_UNTRUSTED",
  "ERR_VP_NO_MATCH",
  "ERR_VP_CONSENT_EXCEEDED",
  "ERR_VP_FORMAT_UNSUPPORTED",
  "ERR_VP_RESPONSE_INVALID",
  "ERR_VP_RESPONSE_UNDECRYPTABLE",
  "ERR_VP_STATE_MISMATCH",
  "ERR_VP_REQUEST_EXPIRED",
  "ERR_VP_PRESENTATION_INVALID",
  "ERR_VP_QUERY_NOT_SATISFIED",
  "ERR_VP_SUBMIT_FAILED",
  "ERR_RELAY_UNKNOWN_REQUEST",
  "ERR_RELAY_ALREADY_ANSWERED",
  "ERR_RELAY_EXPIRED",
  "ERR_RELAY_NOT_ENCRYPTED",
  "ERR_RELAY_TOO_LARGE",
  "ERR_RELAY_FORBIDDEN",
] as const;
export type Openid4vpErrorCode = (typeof OPENID4VP_ERROR_CODES)[number];

const MESSAGES: Record<Openid4vpErrorCode, string> = {
  ERR_VP_REQUEST_INVALID: "This request for information is damaged or incomplete. Nothing was shared.",
  ERR_VP_REQUEST_UNREACHABLE: "The request could not be fetched. Check the connection and scan again.",
  ERR_VP_CLIENT_UNSUPPORTED: "This app cannot tell who is asking (the way the asker identifies itself is not supported). Nothing was shared.",
  ERR_VP_CLIENT_UNTRUSTED: "The asker's identity could not be confirmed. Nothing was shared.",
  ERR_VP_NO_MATCH: "You have no card that answers this request.",
  ERR_VP_CONSENT_EXCEEDED: "This request asks for more than you agreed to share. Nothing was shared.",
  ERR_VP_FORMAT_UNSUPPORTED: "This request asks for a card format this app cannot show.",
  ERR_VP_RESPONSE_INVALID: "The answer from the phone is damaged or incomplete.",
  ERR_VP_RESPONSE_UNDECRYPTABLE: "The answer from the phone was not made for this device or this request.",
  ERR_VP_STATE_MISMATCH: "The answer belongs to another request. Ask the person to scan the new code.",
  ERR_VP_REQUEST_EXPIRED: "This request has expired. Show a new code.",
  ERR_VP_PRESENTATION_INVALID: "The card shown did not pass its check.",
  ERR_VP_QUERY_NOT_SATISFIED: "The answer does not contain what was asked for.",
  ERR_VP_SUBMIT_FAILED: "The answer could not be sent. Check the connection and try again.",
  ERR_RELAY_UNKNOWN_REQUEST: "This request is not known here.",
  ERR_RELAY_ALREADY_ANSWERED: "This request was already answered.",
  ERR_RELAY_EXPIRED: "This request has expired. Ask for a new code.",
  ERR_RELAY_NOT_ENCRYPTED: "Only encrypted answers are accepted here.",
  ERR_RELAY_TOO_LARGE: "This answer is too large.",
  ERR_RELAY_FORBIDDEN: "This device may not collect this answer.",
};

/** Base class: every error this package throws on purpose. */
export class Openid4vpError extends Error {
  readonly code: Openid4vpErrorCode;
  constructor(code: Openid4vpErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? MESSAGES[code], options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * True for errors this package throws on purpose.
 *
 * @example
 * try { await readPresentationRequest(link); } catch (e) { if (isOpenid4vpError(e)) show(e.message); else throw e; }
 */
export function isOpenid4vpError(e: unknown): e is Openid4vpError {
  return e instanceof Openid4vpError;
}
