/**
 * Money and quantities as the issuer stores them (decimal text with at most two decimals), added
 * and multiplied in integer hundredths: a million hand-overs add up to the cent.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Hundredths of a decimal text ("12.5" -> 1250n); null for text that is not such a number.
 *
 * @example
 * toHundredths("2500.75"); // 250075n
 */
export function toHundredths(text: string | null | undefined): bigint | null {
  const m = DECIMAL.exec((text ?? "").trim());
  if (!m) return null;
  const v = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -v : v;
}

/**
 * Decimal text of hundredths, without trailing zeros ("2500", "12.5").
 *
 * @example
 * fromHundredths(250075n); // "2500.75"
 */
export function fromHundredths(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / 100n;
  const frac = (a % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/**
 * `value` times `count`, as decimal text.
 *
 * @example
 * multiplyDecimal("2500.5", 3); // "7501.5"
 */
export function multiplyDecimal(value: string | null | undefined, count: number): string {
  return fromHundredths((toHundredths(value) ?? 0n) * BigInt(count));
}

/**
 * The sum of decimal texts (anything that is not a decimal counts as 0).
 *
 * @example
 * sumDecimals(["1.25", "2", null]); // "3.25"
 */
export function sumDecimals(values: Iterable<string | null | undefined>): string {
  let total = 0n;
  for (const v of values) total += toHundredths(v) ?? 0n;
  return fromHundredths(total);
}
