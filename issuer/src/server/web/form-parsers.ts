/**
 * Turns console form fields into domain inputs (validated again by the domain functions' schemas).
 */
import type { EligibilityRule } from "@/server/programmes/eligibility-rule";

/**
 * "column = field" lines to a mapping object.
 *
 * @example
 * parseMappingText("hh_id = registryId\ndistrict = area"); // { hh_id: "registryId", district: "area" }
 */
export function parseMappingText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.lastIndexOf("=");
    if (i <= 0) continue;
    const column = line.slice(0, i).trim();
    const field = line.slice(i + 1).trim();
    if (column && field) out[column] = field;
  }
  return out;
}

/** The mapping as "column = field" lines, for the edit form. */
export function formatMappingText(mapping: Record<string, string>): string {
  return Object.entries(mapping)
    .map(([c, f]) => `${c} = ${f}`)
    .join("\n");
}

export const RULE_ROWS = 3;

/**
 * The rule builder's rows (`field0`, `op0`, `value0`, ...) to a rule; empty rows are skipped,
 * numbers are numbers, and "in" takes a comma-separated list.
 *
 * @example
 * parseRuleForm(new URLSearchParams("field0=householdSize&op0=gte&value0=5")); // { all: [{ field: "householdSize", op: "gte", value: 5 }] }
 */
export function parseRuleForm(form: { get(name: string): unknown; getAll?(name: string): unknown[] }): EligibilityRule {
  const all: unknown[] = [];
  for (let i = 0; i < RULE_ROWS; i++) {
    const field = form.get(`field${i}`);
    const op = form.get(`op${i}`);
    // An area list may come as several values of one field (a multiple select) or as "a, b".
    const many = form.getAll ? form.getAll(`value${i}`).filter((v): v is string => typeof v === "string") : [];
    const raw = many.length > 1 ? many.join(",") : form.get(`value${i}`);
    if (typeof field !== "string" || !field || typeof op !== "string" || typeof raw !== "string" || raw.trim() === "") continue;
    const value =
      field === "area" ? (op === "in" ? raw.split(",").map((s) => s.trim()).filter(Boolean) : raw.trim()) : Number(raw);
    all.push({ field, op, value });
  }
  return { all } as EligibilityRule;
}
