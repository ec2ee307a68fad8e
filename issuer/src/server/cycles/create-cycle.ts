import { z } from "zod";
import { JWT_CREDENTIAL_FORMATS } from "@haki/credentials/model";
import type { Prisma } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { EligibilityRule } from "@/server/programmes/eligibility-rule";

const Decimal = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, "form.positiveNumber")
  .refine((v) => Number(v) > 0, "form.positiveNumber");

/** A cycle's code, unique within its programme (e.g. "2027-03"). */
const CycleCode = z.string().trim().regex(/^[A-Za-z0-9._:-]{1,64}$/, "letters, digits, . _ : -");

export const CreateCycleInput = z
  .object({
    programmeId: z.string().uuid(),
    code: CycleCode,
    validFrom: z.coerce.date(),
    validUntil: z.coerce.date(),
    amount: z.preprocess((v) => (v === "" ? undefined : v), Decimal.optional()),
    quantity: z.preprocess((v) => (v === "" ? undefined : v), Decimal.optional()),
    rule: EligibilityRule,
    /**
     * How the cycle's credentials are secured: W3C VC 2.0 `vc+jwt` by default; VC 1.1 for a
     * programme whose service points still run software that reads only VC 1.1.
     */
    credentialFormat: z.preprocess((v) => (v === "" ? undefined : v), z.enum(JWT_CREDENTIAL_FORMATS).default("vc2")),
  })
  .refine((c) => c.validUntil > c.validFrom, { message: "form.endAfterStart", path: ["validUntil"] });

/**
 * Writes a draft cycle and its "cycle.prepare" audit event (`details` after the code), in one
 * transaction; refuses a code the programme has already.
 */
async function prepareCycle(
  ctx: ServerContext,
  actor: Actor,
  data: Omit<Prisma.CycleUncheckedCreateInput, "id" | "preparedBy" | "preparedAt">,
  details: Record<string, unknown>,
): Promise<{ id: string }> {
  if (await ctx.db.cycle.findUnique({ where: { programmeId_code: { programmeId: data.programmeId, code: data.code } } })) {
    throw new ApiError("ERR_CONFLICT", `This programme has a cycle ${data.code} already.`);
  }
  const id = newId();
  await ctx.db.$transaction(async (tx) => {
    await tx.cycle.create({ data: { id, ...data, preparedBy: actor.id, preparedAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.prepare", subject: id, details: { code: data.code, ...details } });
  });
  return { id };
}

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
  // A missing value is refused as a validation problem of its field (the form shows it there).
  const missing = (path: string) => new z.ZodError([{ code: "custom", path: [path], message: "form.required", input: undefined }]);
  if (programme.benefitType === "inkind" && !c.quantity) throw missing("quantity");
  if (programme.benefitType === "cash" && !c.amount) throw missing("amount");
  return prepareCycle(
    ctx,
    actor,
    {
      programmeId: c.programmeId,
      code: c.code,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
      amount: c.amount ?? null,
      quantity: c.quantity ?? null,
      rule: JSON.stringify(c.rule),
      credentialFormat: c.credentialFormat,
    },
    { rule: c.rule, credentialFormat: c.credentialFormat },
  );
}

export const CreateTopUpInput = z.object({
  cycleId: z.string().uuid(),
  code: CycleCode,
});

/**
 * Prepares a top-up cycle (officer) for people who qualify for an approved cycle but were not in
 * its frozen list (registered since, or corrected): same rule, dates and value, and nobody who is
 * in the earlier cycle. It goes through submission and approval like any cycle.
 *
 * @example
 * const { id } = await createTopUpCycle(ctx, { cycleId, code: "2027-03-topup-1" }, officer);
 */
export async function createTopUpCycle(ctx: ServerContext, input: z.input<typeof CreateTopUpInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer");
  const i = CreateTopUpInput.parse(input);
  const parent = await ctx.db.cycle.findUnique({ where: { id: i.cycleId } });
  if (!parent) throw new ApiError("ERR_NOT_FOUND", "No such cycle.");
  if (!["approved", "issued", "closed"].includes(parent.state)) throw new ApiError("ERR_INVALID_STATE", "Only an approved cycle can be topped up.");
  return prepareCycle(
    ctx,
    actor,
    {
      programmeId: parent.programmeId,
      code: i.code,
      validFrom: parent.validFrom,
      validUntil: parent.validUntil,
      amount: parent.amount,
      quantity: parent.quantity,
      rule: parent.rule,
      topUpOf: parent.id,
    },
    { topUpOf: parent.id },
  );
}
