/**
 * A date and time in the console's language ("7 Dec 2026, 14:32"), or the word for "never".
 *
 * @example
 * const when = formatWhen("fr", t("users.never"));
 * when(device.lastSeenAt); // "7 déc. 2026, 14:32"
 */
export function formatWhen(locale: string, never: string): (d: Date | null) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (d) => (d ? format.format(d) : never);
}
