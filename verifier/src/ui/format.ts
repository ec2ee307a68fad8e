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

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day as decisions carry it ("2027-03-01", UTC) in the operator's words.
 *
 * @example
 * formatDay("2027-03-01", "en"); // "1 March 2027"
 */
export function formatDay(day: string, locale: string): string {
  if (!DAY.test(day)) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

/**
 * A decision's details with every day in the operator's words, for the reason text.
 *
 * @example
 * t(d.reasonKey, localizeDetails(d.details, "fr")); // "... à partir du 1 mars 2027."
 */
export function localizeDetails(details: Record<string, string>, locale: string): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, DAY.test(v) ? formatDay(v, locale) : v]));
}
