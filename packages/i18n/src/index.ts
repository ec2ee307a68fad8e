/**
 * One i18n setup for all Haki apps, on i18next. Catalogs live in `messages/<locale>.<ns>.json`;
 * each app owns its namespace file (issuer, wallet, verifier) and shares `common`. This entry holds
 * every catalog (the issuer's server uses it); the PWAs use `./wallet` and `./verifier`, which hold
 * only their own.
 */
import type { i18n as I18n, TFunction } from "i18next";
import arCommon from "../messages/ar.common.json";
import arIssuer from "../messages/ar.issuer.json";
import arVerifier from "../messages/ar.verifier.json";
import arWallet from "../messages/ar.wallet.json";
import enCommon from "../messages/en.common.json";
import enIssuer from "../messages/en.issuer.json";
import enVerifier from "../messages/en.verifier.json";
import enWallet from "../messages/en.wallet.json";
import frCommon from "../messages/fr.common.json";
import frIssuer from "../messages/fr.issuer.json";
import frVerifier from "../messages/fr.verifier.json";
import frWallet from "../messages/fr.wallet.json";
import swCommon from "../messages/sw.common.json";
import swIssuer from "../messages/sw.issuer.json";
import swVerifier from "../messages/sw.verifier.json";
import swWallet from "../messages/sw.wallet.json";
import { createI18nFrom, type Locale, type Namespace } from "./core";

export { LOCALES, LOCALE_NAMES, NAMESPACES, createI18nFrom, isLocale, matchLocale, textDirection, type Locale, type Namespace } from "./core";

export const resources = {
  en: { common: enCommon, issuer: enIssuer, wallet: enWallet, verifier: enVerifier },
  fr: { common: frCommon, issuer: frIssuer, wallet: frWallet, verifier: frVerifier },
  ar: { common: arCommon, issuer: arIssuer, wallet: arWallet, verifier: arVerifier },
  sw: { common: swCommon, issuer: swIssuer, wallet: swWallet, verifier: swVerifier },
} as const;

/**
 * Creates an isolated i18next instance for one locale and namespace (falls back to English, then to
 * the key). Synchronous: catalogs are bundled.
 *
 * @example
 * const t = createTranslator("sw", "wallet");
 * t("present.title");
 */
export function createTranslator(locale: Locale, ns: Namespace): TFunction {
  return createI18n(locale, ns).t;
}

/**
 * Creates an isolated i18next instance (for apps that switch language at run time).
 * @example
 * const i18n = createI18n("en", "verifier");
 * await i18n.changeLanguage("ar");
 */
export function createI18n(locale: Locale, ns: Namespace): I18n {
  return createI18nFrom(resources, locale, ns);
}
