/**
 * Plain words for every coded error the wallet can show, by its stable `code`; never the raw
 * message. The table is typed over every package's code union, so a new code does not compile
 * until it has words.
 */
import type { PwaErrorCode } from "@haki/pwa/errors";
import type { ReceiveErrorCode } from "@haki/openid4vci/errors";
import type { Openid4vpErrorCode } from "@haki/openid4vp/errors";
import type { SecureStoreErrorCode } from "@haki/secure-store/errors";
import type { WalletErrorCode } from "../wallet/errors";
import type { TFunction } from "./i18n";

export type ShownErrorCode = PwaErrorCode | ReceiveErrorCode | SecureStoreErrorCode | WalletErrorCode | Openid4vpErrorCode;

/** The i18n key (namespace wallet) of each code's words. */
export const ERROR_WORDS: Record<ShownErrorCode, string> = {
  ERR_STORAGE_QUOTA: "errors.quota",
  ERR_STORAGE_UNAVAILABLE: "errors.storage",
  ERR_STORAGE_DAMAGED: "errors.damaged",
  ERR_RECORD_TAMPERED: "errors.damaged",
  ERR_CAMERA_DENIED: "receive.noCamera",
  ERR_NO_CAMERA: "receive.noCamera",
  ERR_WEAK_PIN: "pin.weak",
  ERR_WRONG_PIN: "pin.wrong",
  ERR_PIN_LOCKED: "pin.tooMany",
  ERR_BACKUP_PASSWORD: "backup.wrongPassword",
  ERR_BACKUP_CORRUPT: "backup.corrupt",
  ERR_WEAK_PASSWORD: "backup.weak",
  ERR_OFFER_INVALID: "receive.notOffer",
  ERR_OFFER_EXPIRED: "receive.expired",
  ERR_OFFER_ALREADY_USED: "receive.used",
  ERR_TX_CODE_REQUIRED: "receive.txCodeHelp",
  ERR_TX_CODE_WRONG: "receive.wrongCode",
  ERR_TX_CODE_LOCKED: "receive.codeLocked",
  ERR_NETWORK: "receive.offline",
  ERR_RATE_LIMITED: "receive.busy",
  ERR_ISSUER: "receive.failed",
  ERR_CREDENTIAL_REJECTED: "receive.untrusted",
  ERR_HOLDER_KEY_MISSING: "errors.damaged",
  ERR_ISSUER_NOT_TRUSTED: "receive.untrusted",
  ERR_ISSUER_UNREACHABLE: "receive.offline",
  ERR_CARD_REJECTED: "receive.untrusted",
  ERR_CARD_STATE_UNAVAILABLE: "cards.stateUnavailable",
  // Answering a service's request (OpenID4VP)
  ERR_VP_REQUEST_INVALID: "share.errors.invalid",
  ERR_VP_REQUEST_UNREACHABLE: "share.errors.offline",
  ERR_VP_CLIENT_UNSUPPORTED: "share.errors.unknownAsker",
  ERR_VP_CLIENT_UNTRUSTED: "share.errors.unknownAsker",
  ERR_VP_NO_MATCH: "share.errors.noMatch",
  ERR_VP_CONSENT_EXCEEDED: "share.errors.tooMuch",
  ERR_VP_FORMAT_UNSUPPORTED: "share.errors.noMatch",
  ERR_VP_RESPONSE_INVALID: "share.errors.invalid",
  ERR_VP_RESPONSE_UNDECRYPTABLE: "share.errors.invalid",
  ERR_VP_STATE_MISMATCH: "share.errors.invalid",
  ERR_VP_REQUEST_EXPIRED: "share.errors.expired",
  ERR_VP_PRESENTATION_INVALID: "share.errors.invalid",
  ERR_VP_QUERY_NOT_SATISFIED: "share.errors.invalid",
  ERR_VP_SUBMIT_FAILED: "share.errors.offline",
  ERR_RELAY_UNKNOWN_REQUEST: "share.errors.expired",
  ERR_RELAY_ALREADY_ANSWERED: "share.errors.answered",
  ERR_RELAY_EXPIRED: "share.errors.expired",
  ERR_RELAY_NOT_ENCRYPTED: "share.errors.invalid",
  ERR_RELAY_TOO_LARGE: "share.errors.invalid",
  ERR_RELAY_FORBIDDEN: "share.errors.invalid",
};

/**
 * @example
 * setError(errorText(e, t)); // "That PIN is not right."
 */
export function errorText(e: unknown, t: TFunction): string {
  const code = (e as { code?: unknown } | null)?.code;
  const key = typeof code === "string" ? ERROR_WORDS[code as ShownErrorCode] : undefined;
  return t(key ?? "errors.generic");
}
