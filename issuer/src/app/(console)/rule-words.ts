/**
 * An eligibility rule in plain words, in the reader's language ("Households of at least 5 people,
 * with a poverty score below 30, in KE-047 or KE-022"), for the cycle form, the cycle page and the
 * approver. Runs on the server and in the browser (no server imports).
 */
import type { EligibilityRule } from "@/server/programmes/eligibility-rule";

import type { T } from "./kit";

/** The condition operators the form offers for a field, in the order it lists them. */
export const RULE_OPS: Record<"householdSize" | "povertyScore" | "area", string[]> = {
  householdSize: ["gte", "gt", "lte", "lt", "eq", "neq"],
  povertyScore: ["lt", "lte", "gt", "gte", "eq", "neq"],
  area: ["eq", "neq", "in"],
};

/**
 * One condition in words.
 *
 * @example
 * conditionWords({ field: "householdSize", op: "gte", value: 5 }, t, fmt); // "household of at least 5 people"
 */
export function conditionWords(c: EligibilityRule["all"][number], t: T, number: (n: number) => string): string {
  const value = Array.isArray(c.value) ? c.value.join(t("rule.listJoin")) : typeof c.value === "number" ? number(c.value) : c.value;
  return t(`rule.${c.field}.${c.op}`, { value });
}

/**
 * A whole rule in words: "Everyone active" when empty, otherwise the conditions joined.
 *
 * @example
 * ruleWords({ all: [] }, "KE-047", t, fmt); // "Everyone active in KE-047"
 */
export function ruleWords(rule: EligibilityRule, programmeArea: string | null, t: T, number: (n: number) => string): string {
  const parts = rule.all.map((c) => conditionWords(c, t, number));
  if (programmeArea) parts.push(t("rule.programmeArea", { area: programmeArea }));
  return parts.length ? t("rule.who", { conditions: parts.join(t("rule.and")) }) : t("rule.everyone");
}
