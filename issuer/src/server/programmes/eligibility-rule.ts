/**
 * Eligibility rules on registry fields, as data (stored on the cycle, shown to the approver) and
 * turned into a database filter, so the preview count and the issuance use the same query.
 */
import { z } from "zod";
import type { Prisma } from "@haki/db";

const NumberCondition = z.object({
  field: z.enum(["householdSize", "povertyScore"]),
  op: z.enum(["eq", "neq", "lt", "lte", "gt", "gte"]),
  value: z.number().finite(),
});
const AreaCondition = z.object({
  field: z.literal("area"),
  op: z.enum(["eq", "neq", "in"]),
  value: z.union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(200)]),
});
export const EligibilityCondition = z.union([NumberCondition, AreaCondition]).refine(
  (c) => (c.op === "in") === Array.isArray(c.value),
  { message: "use a list of values with 'in', and one value otherwise" },
);
export type EligibilityCondition = z.infer<typeof EligibilityCondition>;

/** All conditions must hold; an empty list means every active beneficiary (in the programme's area). */
export const EligibilityRule = z.object({ all: z.array(EligibilityCondition).max(20) });
export type EligibilityRule = z.infer<typeof EligibilityRule>;

const PRISMA_OP = { eq: "equals", neq: "not", lt: "lt", lte: "lte", gt: "gt", gte: "gte", in: "in" } as const;

/**
 * The Prisma filter for a rule: always active enrolment (deceased or exited people never qualify),
 * the programme's area when it has one, and the rule's conditions.
 *
 * @example
 * ruleToWhere({ all: [{ field: "householdSize", op: "gte", value: 5 }] }, "KE-047");
 * // { enrolment: "active", area: "KE-047", AND: [{ householdSize: { gte: 5 } }] }
 */
export function ruleToWhere(rule: EligibilityRule, programmeArea?: string | null): Prisma.BeneficiaryWhereInput {
  const parsed = EligibilityRule.parse(rule);
  return {
    enrolment: "active",
    ...(programmeArea ? { area: programmeArea } : {}),
    AND: parsed.all.map((c) => ({ [c.field]: { [PRISMA_OP[c.op]]: c.value } })),
  };
}

/**
 * A rule in words, for the approver ("household size ≥ 5 and area is KE-047").
 *
 * @example
 * describeRule({ all: [{ field: "povertyScore", op: "lt", value: 30 }] }); // "povertyScore < 30"
 */
export function describeRule(rule: EligibilityRule): string {
  const sym = { eq: "=", neq: "≠", lt: "<", lte: "≤", gt: ">", gte: "≥", in: "in" } as const;
  if (rule.all.length === 0) return "all active beneficiaries";
  return rule.all
    .map((c) => `${c.field} ${sym[c.op]} ${Array.isArray(c.value) ? c.value.join(", ") : String(c.value)}`)
    .join(" and ");
}

const SQL_OP = { eq: "=", neq: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

/**
 * The same filter as `ruleToWhere`, as an SQL condition on the "Beneficiary" table (alias `b`), for
 * the bulk paths that read a million rows without Prisma. `param` adds a value and returns its
 * placeholder (`?` or `$n`). A test checks both select the same beneficiaries on both databases,
 * NULLs included.
 *
 * @example
 * const params: unknown[] = [];
 * const where = ruleToSql(rule, "KE-047", (v) => (params.push(v), "?"));
 * // b."enrolment" = ? AND b."area" = ? AND b."householdSize" >= ?
 */
export function ruleToSql(rule: EligibilityRule, programmeArea: string | null | undefined, param: (value: unknown) => string): string {
  const parsed = EligibilityRule.parse(rule);
  const out = [`b."enrolment" = ${param("active")}`];
  if (programmeArea) out.push(`b."area" = ${param(programmeArea)}`);
  for (const c of parsed.all) {
    const col = `b."${c.field}"`;
    if (c.op === "in") out.push(`${col} IN (${(c.value as string[]).map((v) => param(v)).join(", ")})`);
    else out.push(`${col} ${SQL_OP[c.op]} ${param(c.value)}`);
  }
  return out.join(" AND ");
}
