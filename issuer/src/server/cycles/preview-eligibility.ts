import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { EligibilityRule, ruleToWhere } from "@/server/programmes/eligibility-rule";

/**
 * How many beneficiaries a rule selects for a programme, before anything is issued.
 *
 * @example
 * await previewEligibility(ctx, programmeId, { all: [{ field: "householdSize", op: "gte", value: 5 }] }); // 1234
 */
export async function previewEligibility(ctx: ServerContext, programmeId: string, rule: unknown): Promise<number> {
  const programme = await ctx.db.programme.findUnique({ where: { id: programmeId } });
  if (!programme) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
  return ctx.db.beneficiary.count({ where: ruleToWhere(EligibilityRule.parse(rule), programme.area) });
}
