/**
 * "Benefit in words": what an entitlement gives, in the reader's language and number format, the
 * same on the wallet's card, the verifier's answer and the printed paper card. "KES 3,000",
 * "25 kg Maize flour", "Voucher: School uniform (USD 20)".
 */
import { commonResources } from "./common";
import { createI18nFrom, type Locale } from "./core";

/** The shape of a credential's `benefit` (as in `@haki/credentials/model`). */
export type BenefitInWords =
  | { type: "Cash"; amount: number; currency: string }
  | { type: "InKind"; item: string; quantity: number; unit: string }
  | { type: "Voucher"; description: string; amount?: number | undefined; currency?: string | undefined };

const translators = new Map<Locale, ReturnType<typeof createI18nFrom>["t"]>();
function common(locale: Locale) {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = createI18nFrom(commonResources, locale, "common").t));
  return t;
}

function number(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(n);
}

/**
 * Money with the currency's code ("KES 3,000"; cents only when there are some). An unknown code
 * still reads: "XYZ 12".
 *
 * @example
 * formatMoney(3000, "KES", "en"); // "KES 3,000"
 */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  try {
    const whole = Number.isInteger(amount);
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      currencyDisplay: "code",
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    }).format(amount);
  } catch {
    return `${currency} ${number(amount, locale)}`;
  }
}

/**
 * The benefit (or `options.amount` of it: what is left, what is handed over) in plain words.
 *
 * @example
 * describeBenefit({ type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" }, "sw"); // "25 kg Maize flour"
 * describeBenefit({ type: "Cash", amount: 3000, currency: "KES" }, "en", { amount: 500 }); // "KES 500"
 */
export function describeBenefit(benefit: BenefitInWords, locale: Locale, options: { amount?: number } = {}): string {
  switch (benefit.type) {
    case "Cash":
      return formatMoney(options.amount ?? benefit.amount, benefit.currency, locale);
    case "InKind":
      return `${number(options.amount ?? benefit.quantity, locale)} ${benefit.unit} ${benefit.item}`;
    case "Voucher": {
      const words = common(locale)("benefit.voucher", { description: benefit.description });
      const value = options.amount ?? benefit.amount;
      if (value === undefined) return words;
      return `${words} (${benefit.currency ? formatMoney(value, benefit.currency, locale) : number(value, locale)})`;
    }
  }
}

/**
 * The unit a part of the benefit is counted in: the currency, the in-kind unit, or nothing.
 *
 * @example
 * benefitUnit({ type: "InKind", item: "Oil", quantity: 2, unit: "l" }); // "l"
 */
export function benefitUnit(benefit: BenefitInWords): string {
  return benefit.type === "Cash" ? benefit.currency : benefit.type === "InKind" ? benefit.unit : (benefit.currency ?? "");
}
