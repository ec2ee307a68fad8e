/**
 * The verifier's catalogs only (`verifier` and `common`): the verifier's bundle does not carry the
 * issuer's or the wallet's words. English (the fallback) is bundled; French, Arabic and Swahili
 * load on first use (`loadVerifierI18n`), so a phone set up in English does not download the
 * other three before its first screen. The verifier's service worker precaches them: they load
 * offline too.
 */
import type { i18n as I18n } from "i18next";
import en from "../messages/en.verifier.json";
import { commonResources as c } from "./common";
import { createI18nFrom, type Locale } from "./core";

type VerifierCatalog = typeof en;

const LOADERS: Record<Exclude<Locale, "en">, () => Promise<{ default: VerifierCatalog }>> = {
  fr: () => import("../messages/fr.verifier.json"),
  ar: () => import("../messages/ar.verifier.json"),
  sw: () => import("../messages/sw.verifier.json"),
};

const loaded = new Map<Locale, VerifierCatalog>([["en", en]]);

function instanceFor(locale: Locale, catalog: VerifierCatalog): I18n {
  return createI18nFrom({ en: { ...c.en, verifier: en }, [locale]: { ...c[locale], verifier: catalog } }, locale, "verifier");
}

/**
 * The i18next instance for a locale whose catalog is already here (English always is), without
 * waiting; `undefined` until `loadVerifierI18n` has loaded it.
 *
 * @example
 * const i18n = verifierI18nIfLoaded("en")!; i18n.t("home.scan");
 */
export function verifierI18nIfLoaded(locale: Locale): I18n | undefined {
  const catalog = loaded.get(locale);
  return catalog ? instanceFor(locale, catalog) : undefined;
}

/**
 * The i18next instance for a locale, its catalog loaded first when needed.
 *
 * @example
 * const { t } = await loadVerifierI18n("fr"); t("home.scan");
 */
export async function loadVerifierI18n(locale: Locale): Promise<I18n> {
  if (locale !== "en" && !loaded.has(locale)) loaded.set(locale, (await LOADERS[locale]()).default);
  return verifierI18nIfLoaded(locale) as I18n;
}
