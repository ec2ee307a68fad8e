/**
 * What every i18n entry point shares: the locales, their names and direction, Accept-Language
 * matching, and building an i18next instance from the catalogs an app brings (so an app's bundle
 * holds its own catalogs only: see ./wallet.ts, ./verifier.ts).
 */
import i18next, { type i18n as I18n, type Resource } from "i18next";

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

/**
 * Whether a value (a form field, a stored setting, a cookie) is one of the supported locales.
 * @example
 * isLocale("sw"); // true
 * isLocale("de"); // false
 */
export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

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
    if (isLocale(base)) return base;
  }
  return fallback;
}

/**
 * An isolated i18next instance over `resources` (falls back to English, then to `common`, then to
 * the key). Synchronous: catalogs are bundled.
 *
 * @example
 * const i18n = createI18nFrom(resources, "sw", "wallet");
 */
export function createI18nFrom(resources: Resource, locale: Locale, ns: Namespace): I18n {
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
