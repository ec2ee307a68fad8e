import { z } from "zod";
import { CurrencyCode } from "@haki/credentials/model";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { BearerFormsMode } from "./save-programme-bearer-forms";

/** A phone number, an office, a short sentence: shown as it is on cards and at the counter. */
export const ProgrammeContact = z.string().trim().min(3).max(200);

const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

export const CreateProgrammeInput = z
  .object({
    code: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "lower-case letters, digits, . _ -"),
    name: z.string().trim().min(1).max(120),
    benefitType: z.enum(["cash", "inkind", "voucher"]),
    currency: opt(CurrencyCode),
    item: opt(z.string().trim().min(1).max(120)),
    unit: opt(z.string().trim().min(1).max(16)),
    description: opt(z.string().trim().min(1).max(120)),
    area: opt(z.string().trim().regex(/^[A-Za-z0-9._:-]{1,64}$/)),
    redemption: z.enum(["single", "partial"]).default("single"),
    /** Whom beneficiaries and service points contact about a cancelled or suspended card. */
    contact: opt(ProgrammeContact),
    /** One bearer form valid at a time (a phone revokes the paper card), or paper and phone both. */
    bearerForms: BearerFormsMode.default("one"),
  })
  // Messages are i18n keys: the console shows them next to the field in the reader's language.
  .refine((p) => p.benefitType !== "cash" || p.currency, { message: "form.needsCurrency", path: ["currency"] })
  .refine((p) => p.benefitType !== "inkind" || (p.item && p.unit), { message: "form.needsItem", path: ["item"] })
  .refine((p) => p.benefitType !== "voucher" || p.description, { message: "form.needsDescription", path: ["description"] });

/**
 * Creates a programme (officer or admin).
 *
 * @example
 * await createProgramme(ctx, { code: "cash-transfer", name: "Cash transfer", benefitType: "cash", currency: "KES" }, actor);
 */
export async function createProgramme(ctx: ServerContext, input: z.input<typeof CreateProgrammeInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer", "admin");
  const p = CreateProgrammeInput.parse(input);
  const id = newId();
  if (await ctx.db.programme.findUnique({ where: { code: p.code } })) {
    throw new ApiError("ERR_CONFLICT", `A programme with the code ${p.code} exists already.`);
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.programme.create({ data: { id, ...p, createdBy: actor.id, createdAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "programme.create", subject: id, details: { code: p.code, bearerForms: p.bearerForms } });
  });
  return { id };
}
