import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { EligibilityRule } from "@/server/programmes/eligibility-rule";

const Decimal = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, "a positive number with at most 2 decimals")
  .refine((v) => Number(v) > 0, "must be more than 0");

export const CreateCycleInput = z
  .object({
    programmeId: z.string().uuid(),
    code: z.string().trim().regex(/^[A-Za-z0-9._:-]{1,64}$/, "letters, digits, . _ : -"),
    validFrom: z.coerce.date(),
    validUntil: z.coerce.date(),
    amount: z.preprocess((v) => (v === "" ? undefined : v), Decimal.optional()),
    quantity: z.preprocess((v) => (v === "" ? undefined : v), Decimal.optional()),
    rule: EligibilityRule,
  })
  .refine((c) => c.validUntil > c.validFrom, { message: "the end must be after the start", path: ["validUntil"] });

/**
 * Prepares a cycle in draft (officer). Whoever prepares it cannot approve it.
 *
 * @example
 * await createCycle(ctx, { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01",
 *   amount: "1500", rule: { all: [{ field: "householdSize", op: "gte", value: 5 }] } }, officer);
 */
export async function createCycle(ctx: ServerContext, input: z.input<typeof CreateCycleInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer");
  const c = CreateCycleInput.parse(input);
  const programme = await ctx.db.programme.findUnique({ where: { id: c.programmeId } });
  if (!programme) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
  if (programme.benefitType === "inkind" && !c.quantity) throw new ApiError("ERR_BAD_REQUEST", "An in-kind cycle needs a quantity per beneficiary.");
  if (programme.benefitType === "cash" && !c.amount) throw new ApiError("ERR_BAD_REQUEST", "A cash cycle needs an amount per beneficiary.");
  if (await ctx.db.cycle.findUnique({ where: { programmeId_code: { programmeId: c.programmeId, code: c.code } } })) {
    throw new ApiError("ERR_CONFLICT", `This programme has a cycle ${c.code} already.`);
  }
  const id = newId();
  await ctx.db.$transaction(async (tx) => {
    await tx.cycle.create({
      data: {
        id,
        programmeId: c.programmeId,
        code: c.code,
        validFrom: c.validFrom,
        validUntil: c.validUntil,
        amount: c.amount ?? null,
        quantity: c.quantity ?? null,
        rule: JSON.stringify(c.rule),
        preparedBy: actor.id,
        preparedAt: ctx.now(),
      },
    });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.prepare", subject: id, details: { code: c.code, rule: c.rule } });
  });
  return { id };
}
