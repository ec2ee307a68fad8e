/**
 * Cycle states: draft -> approved -> issued -> closed. Approval needs a second person (four eyes).
 */
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";

/**
 * Approves a draft cycle. Only an approver who did not prepare it may (ERR_FOUR_EYES otherwise).
 *
 * @example
 * await approveCycle(ctx, cycleId, approver);
 */
export async function approveCycle(ctx: ServerContext, cycleId: string, actor: Actor): Promise<void> {
  requireRole(actor, "approver");
  const cycle = await ctx.db.cycle.findUnique({ where: { id: cycleId } });
  if (!cycle) throw new ApiError("ERR_NOT_FOUND", "No such cycle.");
  if (cycle.preparedBy === actor.id) {
    throw new ApiError("ERR_FOUR_EYES", "You prepared this cycle: another approver must approve it.");
  }
  await ctx.db.$transaction(async (tx) => {
    // The state is in the WHERE clause so two approvers clicking at once approve it once.
    const { count } = await tx.cycle.updateMany({
      where: { id: cycleId, state: "draft" },
      data: { state: "approved", approvedBy: actor.id, approvedAt: ctx.now() },
    });
    if (count !== 1) throw new ApiError("ERR_INVALID_STATE", `Only a draft cycle can be approved; this one is ${cycle.state}.`);
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.approve", subject: cycleId });
  });
}

/**
 * Closes an issued cycle (no more issuance; credentials stay valid until they expire or are revoked).
 *
 * @example
 * await closeCycle(ctx, cycleId, officer);
 */
export async function closeCycle(ctx: ServerContext, cycleId: string, actor: Actor): Promise<void> {
  requireRole(actor, "officer", "approver");
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.cycle.updateMany({ where: { id: cycleId, state: "issued" }, data: { state: "closed", closedAt: ctx.now() } });
    if (count !== 1) throw new ApiError("ERR_INVALID_STATE", "Only an issued cycle can be closed.");
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.close", subject: cycleId });
  });
}
