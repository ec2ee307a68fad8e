import { textDirection, type Locale } from "@haki/i18n/core";
import { createVerifierI18n } from "@haki/i18n/verifier";

/** The translate function the screens receive. */
export type TFunction = ReturnType<typeof createVerifierI18n>["t"];

/**
 * The verifier's translator for a locale; also sets the page language and direction (Arabic is
 * right to left).
 *
 * @example
 * const t = useTranslator("sw"); t("home.scan");
 */
export function translatorFor(locale: Locale): TFunction {
  if (typeof document !== "undefined") {
    document.documentElement.lang = locale;
    document.documentElement.dir = textDirection(locale);
  }
  return createVerifierI18n(locale).t;
}
