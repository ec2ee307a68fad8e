import type { TFunction } from "./i18n";

/** Plain words for an error, by its stable `code`; never the raw message. */
export function errorText(e: unknown, t: TFunction): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case "ERR_STORAGE_QUOTA":
      return t("errors.quota");
    case "ERR_STORAGE_UNAVAILABLE":
      return t("errors.storage");
    case "ERR_RECORD_TAMPERED":
      return t("errors.damaged");
    case "ERR_WEAK_PIN":
      return t("pin.weak");
    case "ERR_WRONG_PIN":
      return t("pin.wrong");
    case "ERR_BACKUP_PASSWORD":
      return t("backup.wrongPassword");
    case "ERR_BACKUP_CORRUPT":
      return t("backup.corrupt");
    case "ERR_WEAK_PASSWORD":
      return t("backup.weak");
    case "ERR_OFFER_INVALID":
      return t("receive.notOffer");
    case "ERR_OFFER_EXPIRED":
      return t("receive.expired");
    case "ERR_OFFER_ALREADY_USED":
      return t("receive.used");
    case "ERR_TX_CODE_WRONG":
    case "ERR_TX_CODE_LOCKED":
      return t("receive.wrongCode");
    case "ERR_NETWORK":
      return t("receive.offline");
    case "ERR_CREDENTIAL_REJECTED":
      return t("receive.untrusted");
    case "ERR_ISSUER":
      return t("receive.failed");
    default:
      return t("errors.generic");
  }
}
