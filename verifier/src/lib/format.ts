import type { Benefit } from "@haki/credentials/model";
import type { TFunction } from "../i18n";

/**
 * A benefit (or a part of it) in words: "KES 3,000.00", "25 kg Maize flour", "Voucher: uniform".
 *
 * @example
 * formatBenefit({ type: "Cash", amount: 3000, currency: "KES" }, "en"); // "KES 3,000.00"
 */
export function formatBenefit(
  benefit: Benefit,
  locale: string,
  t: TFunction,
  amount?: number,
): string {
  switch (benefit.type) {
    case "Cash":
      return new Intl.NumberFormat(locale, {
        style: "currency",
        currency: benefit.currency,
      }).format(amount ?? benefit.amount);
    case "InKind":
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(amount ?? benefit.quantity)} ${benefit.unit} ${benefit.item}`;
    case "Voucher": {
      const value =
        benefit.amount !== undefined
          ? ` (${benefit.currency ? new Intl.NumberFormat(locale, { style: "currency", currency: benefit.currency }).format(amount ?? benefit.amount) : String(amount ?? benefit.amount)})`
          : "";
      return t("benefit.voucher", { description: benefit.description }) + value;
    }
  }
}

/**
 * The unit a partial amount is typed in.
 *
 * @example
 * benefitUnit({ type: "InKind", item: "Oil", quantity: 2, unit: "l" }); // "l"
 */
export function benefitUnit(benefit: Benefit): string {
  return benefit.type === "Cash"
    ? benefit.currency
    : benefit.type === "InKind"
      ? benefit.unit
      : (benefit.currency ?? "");
}

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
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/**
 * A decision's details with every day in the operator's words, for the reason text.
 *
 * @example
 * t(d.reasonKey, localizeDetails(d.details, "fr")); // "... à partir du 1 mars 2027."
 */
export function localizeDetails(
  details: Record<string, string>,
  locale: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(details).map(([k, v]) => [k, DAY.test(v) ? formatDay(v, locale) : v]),
  );
}

/**
 * The reason code of any error the app shows (package errors carry one).
 *
 * @example
 * t(`reason.${errorCode(e)}`);
 */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_") ? code : "ERR_UNKNOWN";
}
