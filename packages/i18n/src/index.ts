/**
 * One i18n setup for all Haki apps, on i18next. Catalogs live in `messages/<locale>.<ns>.json`;
 * each app owns its namespace file (issuer, wallet, verifier) and shares `common`.
 */
import i18next, { type i18n as I18n, type TFunction } from "i18next";
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

export const LOCALES = ["en", "fr", "ar", "sw"] as const;
export type Locale = (typeof LOCALES)[number];
export const NAMESPACES = ["common", "issuer", "wallet", "verifier"] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Language names in their own script, for a language picker. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  fr: "Français",
  ar: "العربية",
  sw: "Kiswahili",
};

export const resources = {
  en: { common: enCommon, issuer: enIssuer, wallet: enWallet, verifier: enVerifier },
  fr: { common: frCommon, issuer: frIssuer, wallet: frWallet, verifier: frVerifier },
  ar: { common: arCommon, issuer: arIssuer, wallet: arWallet, verifier: arVerifier },
  sw: { common: swCommon, issuer: swIssuer, wallet: swWallet, verifier: swVerifier },
} as const;

/**
 * Text direction of a locale.
 * @example
 * document.documentElement.dir = textDirection("ar"); // "rtl"
 */
export function textDirection(locale: Locale): "ltr" | "rtl" {
  return locale === "ar" ? "rtl" : "ltr";
}

/**
 * Narrows any string (an Accept-Language tag, a stored setting) to a supported locale.
 * @example
 * matchLocale("sw-KE,sw;q=0.9,en;q=0.8"); // "sw"
 * matchLocale("de-DE");                   // "en"
 */
export function matchLocale(tag: string | null | undefined, fallback: Locale = "en"): Locale {
  if (!tag) return fallback;
  for (const part of tag.split(",")) {
    const base = part.trim().split(/[-_;]/)[0]?.toLowerCase();
    const hit = LOCALES.find((l) => l === base);
    if (hit) return hit;
  }
  return fallback;
}

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
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: "en",
    ns: ["common", ns],
    defaultNS: ns,
    fallbackNS: "common",
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
