import { textDirection, type Locale } from "@haki/i18n/core";
import { loadVerifierI18n, verifierI18nIfLoaded } from "@haki/i18n/verifier";
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";

/** The translate function the screens receive. */
export type TFunction = NonNullable<ReturnType<typeof verifierI18nIfLoaded>>["t"];

/** English, always bundled: the words of the loading and storage-failure screens. */
export const englishT: TFunction = verifierI18nIfLoaded("en")!.t;

/**
 * The verifier's translator for a locale, once its catalog is here (at once for English and for a
 * language already loaded; French, Arabic and Swahili load on first use, from the service worker
 * offline); also sets the page language and direction (Arabic is right to left). `undefined` while
 * the catalog loads.
 *
 * @example
 * const t = useTranslator("sw"); if (t) t("home.scan");
 */
export function useTranslator(locale: Locale): TFunction | undefined {
  const [state, setState] = useState(() => ({ locale, t: verifierI18nIfLoaded(locale)?.t }));
  useEffect(() => {
    if (state.locale === locale && state.t) return;
    let alive = true;
    void loadVerifierI18n(locale).then((i18n) => alive && setState({ locale, t: i18n.t }));
    return () => {
      alive = false;
    };
  }, [locale, state]);
  const ready = state.locale === locale ? state.t : undefined;
  useEffect(() => {
    if (!ready) return;
    document.documentElement.lang = locale;
    document.documentElement.dir = textDirection(locale);
  }, [ready, locale]);
  return ready;
}

/** What every screen reads its words with: the operator's translator and language. */
export interface I18nValue {
  t: TFunction;
  locale: Locale;
}

/** Provided by the app once the operator's language has loaded; English outside it. */
export const I18nContext = createContext<I18nValue>({ t: englishT, locale: "en" });

/**
 * The operator's translator and language, as the app provides them (screens are not handed them).
 *
 * @example
 * const { t, locale } = useI18n();
 */
export function useI18n(): I18nValue {
  return useContext(I18nContext);
}
