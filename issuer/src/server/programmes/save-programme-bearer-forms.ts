import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";

/**
 * How many bearer forms of an entitlement a programme keeps valid: "one" (the default; a phone
 * collecting it revokes the paper card, paper again needs an officer's confirmation and revokes
 * the phone) or "both" (the paper card stays valid beside the phone, e.g. where phones are shared).
 */
export const BearerFormsMode = z.enum(["one", "both"]);
export type BearerFormsMode = z.infer<typeof BearerFormsMode>;

export const SaveProgrammeBearerFormsInput = z.object({ programmeId: z.string().min(1), bearerForms: BearerFormsMode });

/**
 * Sets the programme's bearer-forms rule (officer or admin; audited `programme.bearer_forms` with
 * the old and new value). Applies to deliveries and printing from then on: it revokes nothing by
 * itself (switching to "one" leaves paper valid beside phones that collected under "both" until
 * the next phone delivery, loss or paper-instead-of-phone of that entitlement).
 *
 * @example
 * await saveProgrammeBearerForms(ctx, { programmeId, bearerForms: "both" }, officer);
 */
export async function saveProgrammeBearerForms(ctx: ServerContext, input: z.input<typeof SaveProgrammeBearerFormsInput>, actor: Actor): Promise<{ bearerForms: BearerFormsMode }> {
  requireRole(actor, "officer", "admin");
  const parsed = SaveProgrammeBearerFormsInput.safeParse(input);
  if (!parsed.success) throw new ApiError("ERR_BAD_REQUEST", 'Choose "one" or "both".', { cause: parsed.error });
  const i = parsed.data;
  await ctx.db.$transaction(async (tx) => {
    const programme = await tx.programme.findUnique({ where: { id: i.programmeId }, select: { bearerForms: true } });
    if (!programme) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
    await tx.programme.update({ where: { id: i.programmeId }, data: { bearerForms: i.bearerForms } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "programme.bearer_forms", subject: i.programmeId, details: { from: programme.bearerForms, to: i.bearerForms } });
  });
  return { bearerForms: i.bearerForms };
}
