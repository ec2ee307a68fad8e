/**
 * The options of a console select, one per choice. No hooks and no "use client": server pages and
 * client forms alike render it inside their own `<select>` (which keeps its name, value and events).
 */
import type { ReactNode } from "react";

/** One choice of a select: what the form sends, what the officer reads, and its language if not the page's. */
export type Option = { value: string; label: ReactNode; lang?: string };

/**
 * One `<option>` per item, in order.
 *
 * @example
 * <select name="cycleId"><option value="">{t("anyCycle")}</option><Options items={cycles.map((c) => ({ value: c.id, label: c.label }))} /></select>
 */
export function Options({ items }: { items: readonly Option[] }) {
  return items.map((o) => (
    <option key={o.value} value={o.value} lang={o.lang}>
      {o.label}
    </option>
  ));
}
