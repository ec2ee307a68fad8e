/**
 * The verifier's catalogs only (`verifier` and `common`): the verifier's bundle does not carry the
 * issuer's or the wallet's words.
 */
import type { i18n as I18n } from "i18next";
import ar from "../messages/ar.verifier.json";
import en from "../messages/en.verifier.json";
import fr from "../messages/fr.verifier.json";
import sw from "../messages/sw.verifier.json";
import { commonResources as c } from "./common";
import { createI18nFrom, type Locale } from "./core";

export const verifierResources = {
  en: { ...c.en, verifier: en },
  fr: { ...c.fr, verifier: fr },
  ar: { ...c.ar, verifier: ar },
  sw: { ...c.sw, verifier: sw },
} as const;

/**
 * @example
 * const { t } = createVerifierI18n("fr"); t("home.scan");
 */
export function createVerifierI18n(locale: Locale): I18n {
  return createI18nFrom(verifierResources, locale, "verifier");
}
