import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { ProgrammeContact } from "./create-programme";

export const SaveProgrammeContactInput = z.object({
  programmeId: z.string().min(1),
  /** Empty clears it. */
  contact: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), ProgrammeContact.nullable()),
});

/**
 * Sets whom beneficiaries and service points contact about this programme (officer or admin). The
 * next trust bundle carries it to service points; wallets read it with their card's state.
 *
 * @example
 * await saveProgrammeContact(ctx, { programmeId, contact: "Call 0800 720 720 (free), Mon-Fri 8-17" }, officer);
 */
export async function saveProgrammeContact(ctx: ServerContext, input: z.input<typeof SaveProgrammeContactInput>, actor: Actor): Promise<void> {
  requireRole(actor, "officer", "admin");
  const i = SaveProgrammeContactInput.parse(input);
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.programme.updateMany({ where: { id: i.programmeId }, data: { contact: i.contact } });
    if (count !== 1) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "programme.contact", subject: i.programmeId, details: { contact: i.contact } });
  });
}
