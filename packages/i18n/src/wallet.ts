/**
 * The wallet's catalogs only (`wallet` and `common`): the wallet's bundle does not carry the
 * issuer's or the verifier's words.
 */
import type { i18n as I18n } from "i18next";
import ar from "../messages/ar.wallet.json";
import en from "../messages/en.wallet.json";
import fr from "../messages/fr.wallet.json";
import sw from "../messages/sw.wallet.json";
import { commonResources as c } from "./common";
import { createI18nFrom, type Locale } from "./core";

export const walletResources = {
  en: { ...c.en, wallet: en },
  fr: { ...c.fr, wallet: fr },
  ar: { ...c.ar, wallet: ar },
  sw: { ...c.sw, wallet: sw },
} as const;

/**
 * @example
 * const { t } = createWalletI18n("sw"); t("present.title");
 */
export function createWalletI18n(locale: Locale): I18n {
  return createI18nFrom(walletResources, locale, "wallet");
}
