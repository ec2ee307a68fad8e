import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { digestFrozenSet } from "@/server/cycles/frozen-set";

/**
 * Queues bulk issuance of an approved cycle (officer). Asking again while a job is queued or
 * running returns that job; a failed job is resumed by queueing it again. The cycle's frozen list
 * must still be the one approved (its digest is computed again): otherwise ERR_FROZEN_SET_CHANGED
 * and nothing is queued.
 *
 * @example
 * const { jobId } = await startIssuance(ctx, cycleId, officer);
 */
export async function startIssuance(ctx: ServerContext, cycleId: string, actor: Actor): Promise<{ jobId: string }> {
  requireRole(actor, "officer");
  const cycle = await ctx.db.cycle.findUnique({ where: { id: cycleId } });
  if (!cycle) throw new ApiError("ERR_NOT_FOUND", "No such cycle.");
  if (cycle.state !== "approved") {
    throw new ApiError("ERR_INVALID_STATE", `Only an approved cycle can be issued; this one is ${cycle.state}.`);
  }
  const stored = await digestFrozenSet(ctx, cycle.id);
  if (!cycle.frozenDigest || stored.digest !== cycle.frozenDigest || stored.count !== cycle.frozenCount) {
    throw new ApiError("ERR_FROZEN_SET_CHANGED", "The list of people to issue to is not the one that was approved; nothing was issued.");
  }
  return ctx.db.$transaction(async (tx) => {
    const open = await tx.issuanceJob.findFirst({ where: { cycleId, state: { in: ["queued", "running"] } } });
    if (open) return { jobId: open.id };
    const failed = await tx.issuanceJob.findFirst({ where: { cycleId, state: "failed" }, orderBy: { createdAt: "desc" } });
    const jobId = failed?.id ?? newId();
    if (failed) await tx.issuanceJob.update({ where: { id: jobId }, data: { state: "queued", error: null } });
    else await tx.issuanceJob.create({ data: { id: jobId, cycleId, createdBy: actor.id, createdAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: failed ? "issuance.resume" : "issuance.start", subject: jobId, details: { cycleId } });
    return { jobId };
  });
}
