/**
 * The words a client component is given: one catalog section's keys looked up in the reader's
 * language, as a plain object (client components cannot take the translator itself).
 */
import type { T } from "@/app/(console)/kit";

/**
 * `{ key: t("section.key") }` for each key (placeholders in `vars` are passed to `t`).
 *
 * @example
 * labelsOf(t, "jobs", ["queued", "running"]); // { queued: "Queued", running: "Running" }
 */
export function labelsOf<K extends string>(t: T, section: string, keys: readonly K[], vars: Record<string, string> = {}): Record<K, string> {
  const word = (key: string) => t(`${section}.${key}`, vars);
  return Object.fromEntries(keys.map((k) => [k, word(k)])) as Record<K, string>;
}
