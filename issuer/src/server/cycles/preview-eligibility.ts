import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { multiplyDecimal } from "@/server/lib/decimal";
import { asNumber, queryRows, queryRowsInBackground } from "@/server/lib/sql";
import { EligibilityRule, ruleToSql } from "@/server/programmes/eligibility-rule";
import { valuePerPerson } from "./frozen-set";

/**
 * How many beneficiaries a rule selects for a programme, before anything is issued.
 *
 * @example
 * await previewEligibility(ctx, programmeId, { all: [{ field: "householdSize", op: "gte", value: 5 }] }); // 1234
 */
export async function previewEligibility(ctx: ServerContext, programmeId: string, rule: unknown): Promise<number> {
  const programme = await ctx.db.programme.findUnique({ where: { id: programmeId } });
  if (!programme) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
  const parsed = EligibilityRule.parse(rule);
  const [row] = await queryRowsInBackground<{ n: unknown }>(ctx, (p) => `SELECT count(*) AS "n" FROM "Beneficiary" b WHERE ${ruleToSql(parsed, programme.area, p.add)}`);
  return asNumber(row?.n);
}

export const CyclePreviewInput = z.object({
  programmeId: z.string().uuid(),
  rule: EligibilityRule,
  amount: z.string().optional(),
  quantity: z.string().optional(),
});

/** People shown as a sample of who qualifies. */
export const PREVIEW_SAMPLE = 10;

/**
 * What a cycle would be before it is saved: how many qualify, a sample of them, and the total cost
 * (money in the programme's currency, or a quantity of its item).
 *
 * @example
 * const p = await previewCycle(ctx, { programmeId, rule, amount: "2500" });
 * // { count: 212, sample: [{ ref, displayName, area, householdSize }], total: { kind: "money", unit: "KES", value: "530000" } }
 */
export async function previewCycle(ctx: ServerContext, input: z.input<typeof CyclePreviewInput>) {
  const i = CyclePreviewInput.parse(input);
  const programme = await ctx.db.programme.findUnique({ where: { id: i.programmeId } });
  if (!programme) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
  const [count, sample] = await Promise.all([
    previewEligibility(ctx, programme.id, i.rule),
    queryRows<Record<string, unknown>>(
      ctx,
      (p) =>
        `SELECT b."ref", b."displayName", b."area", b."householdSize", b."povertyScore" FROM "Beneficiary" b ` +
        `WHERE ${ruleToSql(i.rule, programme.area, p.add)} ORDER BY b."id" LIMIT ${p.add(PREVIEW_SAMPLE)}`,
    ),
  ]);
  const value = valuePerPerson({ amount: i.amount || null, quantity: i.quantity || null }, programme);
  return {
    count,
    sample: sample.map((r) => ({
      ref: String(r.ref),
      displayName: (r.displayName as string | null) ?? null,
      area: (r.area as string | null) ?? null,
      householdSize: r.householdSize === null ? null : asNumber(r.householdSize),
      povertyScore: r.povertyScore === null ? null : Number(r.povertyScore),
    })),
    total: { kind: value.kind, unit: value.unit, perPerson: value.perPerson, value: multiplyDecimal(/^\d+(\.\d{1,2})?$/.test(value.perPerson ?? "") ? value.perPerson : null, count) },
  };
}

export type CyclePreview = Awaited<ReturnType<typeof previewCycle>>;
