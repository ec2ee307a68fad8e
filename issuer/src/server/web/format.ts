/**
 * Dates, numbers, money and quantities written the way the reader's language writes them (Intl):
 * "1 234,50 KES" in French, "١٬٢٣٤٫٥٠ KES" in Arabic. Dates are shown in UTC, the time zone every
 * stored instant and every cycle boundary is kept in, and say so.
 */
import type { Locale } from "@haki/i18n";

export interface Formatters {
  /** A calendar day: "3 Mar 2027". */
  date(d: Date | null | undefined): string;
  /** A day and time (UTC): "3 Mar 2027, 14:05 UTC". */
  dateTime(d: Date | null | undefined): string;
  /** A count: "1,234,567". */
  count(n: number): string;
  /** An amount of money in a currency (ISO 4217 code), or a plain number when the code is not one. */
  money(value: string | number | null | undefined, currency: string | null | undefined): string;
  /** A quantity and its unit: "25 kg". */
  quantity(value: string | number | null | undefined, unit: string | null | undefined): string;
  /** A share: "42 %". */
  percent(part: number, whole: number): string;
}

/**
 * The formatters of a language.
 *
 * @example
 * const f = formatters("fr");
 * f.money("2500.5", "KES"); // "2 500,50 KES"
 */
export function formatters(locale: Locale): Formatters {
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  // dateStyle cannot be combined with timeZoneName: the fields are named one by one.
  const time = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });
  const count = new Intl.NumberFormat(locale);
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const money = new Map<string, Intl.NumberFormat>();
  const num = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? null : Number(v));
  return {
    date: (d) => (d ? day.format(d) : ""),
    dateTime: (d) => (d ? time.format(d) : ""),
    count: (n) => count.format(n),
    money(value, currency) {
      const n = num(value);
      if (n === null || !Number.isFinite(n)) return "";
      if (!currency || !/^[A-Z]{3}$/.test(currency)) return decimal.format(n);
      let f = money.get(currency);
      if (!f) money.set(currency, (f = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: "code" })));
      return f.format(n);
    },
    quantity(value, unit) {
      const n = num(value);
      if (n === null || !Number.isFinite(n)) return "";
      return `${decimal.format(n)}${unit ? ` ${unit}` : ""}`;
    },
    percent: (part, whole) => pct.format(whole > 0 ? part / whole : 0),
  };
}
