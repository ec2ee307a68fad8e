import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { markStale } from "@/server/lib/read-cache";

export const ResolveDoubleInput = z.object({
  receiptId: z.string().trim().min(1).max(200),
  /** pay: it was legitimate (a partial hand-over, a device clock fault); withhold: not paid, recovered. */
  resolution: z.enum(["pay", "withhold"]),
  note: z.string().trim().min(3, "say why").max(2000),
});

/**
 * Resolves a flagged double redemption for settlement (officer or approver), audited as
 * `receipt.resolve_double`. A receipt resolved once stays resolved.
 *
 * @example
 * await resolveDoubleRedemption(ctx, { receiptId, resolution: "withhold", note: "Same card twice within a minute" }, officer);
 */
export async function resolveDoubleRedemption(ctx: ServerContext, input: z.input<typeof ResolveDoubleInput>, actor: Actor): Promise<void> {
  requireRole(actor, "officer", "approver");
  const i = ResolveDoubleInput.parse(input);
  const r = await ctx.db.receipt.findUnique({ where: { id: i.receiptId }, select: { id: true, doubleRedemption: true, servicePoint: true, beneficiaryRef: true } });
  if (!r) throw new ApiError("ERR_NOT_FOUND", "No such receipt.");
  if (!r.doubleRedemption) throw new ApiError("ERR_INVALID_STATE", "This receipt is not a double redemption.");
  await ctx.db.$transaction(async (tx) => {
    const at = ctx.now();
    const { count } = await tx.receipt.updateMany({
      where: { id: r.id, doubleRedemption: true, doubleResolution: null },
      data: { doubleResolution: i.resolution, doubleResolvedBy: actor.id, doubleResolvedAt: at, doubleResolutionNote: i.note },
    });
    if (count !== 1) throw new ApiError("ERR_INVALID_STATE", "This double redemption is resolved already.");
    await appendAuditEvent(tx, ctx, {
      actorId: actor.id,
      action: "receipt.resolve_double",
      subject: r.id,
      details: { resolution: i.resolution, note: i.note, servicePoint: r.servicePoint, beneficiary: r.beneficiaryRef },
    }, at);
  });
  markStale(ctx, "settlement:", "dashboard");
}
