import type { TFunction } from "./i18n";

/**
 * How long ago, in the operator's words.
 *
 * @example
 * formatAge(3 * 3_600_000, t); // "3 h ago"
 */
export function formatAge(ms: number, t: TFunction): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return t("age.justNow");
  if (min < 60) return t("age.minutes", { n: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t("age.hours", { n: h });
  return t("age.days", { n: Math.floor(h / 24) });
}
