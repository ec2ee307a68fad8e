/**
 * The amount typed for a partial hand-over, checked before anything is recorded: a number above
 * zero and no more than what is left. Arabic-Indic and Eastern Arabic digits and the comma or
 * Arabic decimal separator are read too (what a phone keyboard types in Arabic or French).
 */

export type AmountCheck =
  | { ok: true; amount: number; left: number }
  | { ok: false; code: "ERR_AMOUNT_INVALID" | "ERR_AMOUNT_EXCEEDS_BALANCE" };

const DIGITS: Record<string, string> = Object.fromEntries(
  [..."٠١٢٣٤٥٦٧٨٩"].map((d, i) => [d, String(i)]).concat([..."۰۱۲۳۴۵۶۷۸۹"].map((d, i) => [d, String(i)])),
);

/**
 * @example
 * checkAmount("4,5", 10); // { ok: true, amount: 4.5, left: 5.5 }
 * checkAmount("8", 6);    // { ok: false, code: "ERR_AMOUNT_EXCEEDS_BALANCE" }
 * checkAmount("-2", 10);  // { ok: false, code: "ERR_AMOUNT_INVALID" }
 */
export function checkAmount(typed: string, available: number): AmountCheck {
  const text = [...typed.trim()].map((c) => DIGITS[c] ?? (c === "," || c === "٫" ? "." : c)).join("");
  const amount = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(amount) || amount <= 0) return { ok: false, code: "ERR_AMOUNT_INVALID" };
  if (amount > available + 1e-9) return { ok: false, code: "ERR_AMOUNT_EXCEEDS_BALANCE" };
  return { ok: true, amount, left: Math.round((available - amount) * 1e6) / 1e6 };
}
