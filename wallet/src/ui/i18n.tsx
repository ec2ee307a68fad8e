/**
 * The wallet's language: one i18next instance from @haki/i18n, chosen by the person (saved in
 * localStorage: not secret, and needed before any PIN is typed), else the browser's language.
 */
import { createContext, type JSX } from "preact";
import { useContext } from "preact/hooks";
import { isLocale, matchLocale, textDirection, type Locale } from "@haki/i18n/core";
import { createWalletI18n } from "@haki/i18n/wallet";
import { LocaleSelect } from "@haki/pwa/preact";
import { LOCAL_KEY } from "../storage/keys";

export type TFunction = ReturnType<typeof createWalletI18n>["t"];

export interface I18nValue {
  locale: Locale;
  t: TFunction;
  setLocale: (l: Locale) => void;
}

export const I18nContext = createContext<I18nValue | undefined>(undefined);

/** The current translator; only inside <I18nContext.Provider>. */
export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error("useI18n outside I18nContext");
  return v;
}

/** The saved language, else the browser's, else English. */
export function initialLocale(): Locale {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LOCAL_KEY.locale);
  } catch {
    // Storage blocked: fall through to the browser's language.
  }
  if (isLocale(saved)) return saved;
  return matchLocale(navigator.languages?.join(",") ?? navigator.language);
}

/** Builds the translator for a locale and applies lang/dir to the document. */
export function applyLocale(locale: Locale): TFunction {
  document.documentElement.lang = locale;
  document.documentElement.dir = textDirection(locale);
  try {
    localStorage.setItem(LOCAL_KEY.locale, locale);
  } catch {
    // Not fatal: the choice is just not remembered.
  }
  return createWalletI18n(locale).t;
}

/** The language picker, in the top bar and the settings. */
export function LanguageSelect(props: { name: string }): JSX.Element {
  const { locale, setLocale } = useI18n();
  return <LocaleSelect name={props.name} value={locale} onChoose={setLocale} />;
}
