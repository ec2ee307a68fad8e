/**
 * Cycle states: draft -> submitted -> approved -> issued -> closed, and submitted -> draft when an
 * approver returns it with a comment. Submitting freezes the eligible set (./frozen-set.ts); an
 * approver approves that set by its digest, and must not be the person who prepared or submitted
 * the cycle (four eyes).
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { markStale } from "@/server/lib/read-cache";
import { clearFrozenSet, digestFrozenSet, totalFrozenSet, writeFrozenSet } from "./frozen-set";

const CycleId = z.string().uuid();

async function findCycle(ctx: ServerContext, cycleId: string) {
  const cycle = await ctx.db.cycle.findUnique({ where: { id: CycleId.parse(cycleId) }, include: { programme: true } });
  if (!cycle) throw new ApiError("ERR_NOT_FOUND", "No such cycle.");
  return cycle;
}

/**
 * Submits a draft cycle for approval (officer): freezes who qualifies now, with its count, totals
 * and digest, audited as `cycle.submit`. Answers the frozen count and digest.
 *
 * @example
 * const { count, digest } = await submitCycle(ctx, cycleId, officer);
 */
export async function submitCycle(ctx: ServerContext, cycleId: string, actor: Actor): Promise<{ count: number; digest: string }> {
  requireRole(actor, "officer");
  const cycle = await findCycle(ctx, cycleId);
  const at = ctx.now();
  // Taken first, so two submissions at once freeze once and nobody approves a half-written set.
  const { count: taken } = await ctx.db.cycle.updateMany({
    where: { id: cycle.id, state: "draft" },
    data: { state: "submitted", submittedBy: actor.id, submittedAt: at, frozenCount: null, frozenDigest: null, frozenTotals: null },
  });
  if (taken !== 1) throw new ApiError("ERR_INVALID_STATE", `Only a draft cycle can be submitted; this one is ${cycle.state}.`);
  try {
    await writeFrozenSet(ctx, cycle);
    const { digest, count } = await digestFrozenSet(ctx, cycle.id);
    const totals = await totalFrozenSet(ctx, cycle);
    await ctx.db.$transaction(async (tx) => {
      const { count: set } = await tx.cycle.updateMany({
        where: { id: cycle.id, state: "submitted", submittedAt: at },
        data: { frozenCount: count, frozenDigest: digest, frozenTotals: JSON.stringify(totals) },
      });
      if (set !== 1) throw new ApiError("ERR_CONFLICT", "The cycle changed while its list was frozen; try again.");
      await appendAuditEvent(tx, ctx, {
        actorId: actor.id,
        action: "cycle.submit",
        subject: cycle.id,
        details: { count, digest, total: totals.total, unit: totals.unit },
      }, at);
    });
    markStale(ctx, "approvals", "dashboard");
    return { count, digest };
  } catch (e) {
    // Back to draft, so the officer can submit again; the list is written again then.
    await ctx.db.cycle.updateMany({ where: { id: cycle.id, state: "submitted", submittedAt: at, frozenDigest: null }, data: { state: "draft" } });
    throw e;
  }
}

export const ApproveCycleInput = z.object({
  cycleId: CycleId,
  /** The digest of the list the approver was shown: approval binds to that list. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Approves a submitted cycle's frozen list. Only an approver who neither prepared nor submitted it
 * (ERR_FOUR_EYES), and only the list they saw (ERR_FROZEN_SET_CHANGED when the digest differs).
 *
 * @example
 * await approveCycle(ctx, { cycleId, digest: cycle.frozenDigest }, approver);
 */
export async function approveCycle(ctx: ServerContext, input: z.input<typeof ApproveCycleInput>, actor: Actor): Promise<void> {
  requireRole(actor, "approver");
  const i = ApproveCycleInput.parse(input);
  const cycle = await findCycle(ctx, i.cycleId);
  if (cycle.preparedBy === actor.id || cycle.submittedBy === actor.id) {
    throw new ApiError("ERR_FOUR_EYES", "You prepared or submitted this cycle: another approver must approve it.");
  }
  if (cycle.state !== "submitted") throw new ApiError("ERR_INVALID_STATE", `Only a submitted cycle can be approved; this one is ${cycle.state}.`);
  if (cycle.frozenDigest !== i.digest) throw new ApiError("ERR_FROZEN_SET_CHANGED", "The list changed since you looked at it; check it again before approving.");
  await ctx.db.$transaction(async (tx) => {
    // The state and digest are in the WHERE clause so two approvers clicking at once approve it once.
    const { count } = await tx.cycle.updateMany({
      where: { id: cycle.id, state: "submitted", frozenDigest: i.digest },
      data: { state: "approved", approvedBy: actor.id, approvedAt: ctx.now() },
    });
    if (count !== 1) throw new ApiError("ERR_INVALID_STATE", "This cycle was approved or returned meanwhile.");
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.approve", subject: cycle.id, details: { count: cycle.frozenCount, digest: i.digest } });
  });
  markStale(ctx, "approvals", "dashboard");
}

export const ReturnCycleInput = z.object({
  cycleId: CycleId,
  comment: z.string().trim().min(3, "say what should change").max(2000),
});

/**
 * Returns a submitted cycle to its officer with a comment (approver): back to draft, the frozen
 * list dropped, audited as `cycle.return` with the comment.
 *
 * @example
 * await returnCycle(ctx, { cycleId, comment: "Area KE-031 is missing from the rule" }, approver);
 */
export async function returnCycle(ctx: ServerContext, input: z.input<typeof ReturnCycleInput>, actor: Actor): Promise<void> {
  requireRole(actor, "approver");
  const i = ReturnCycleInput.parse(input);
  const cycle = await findCycle(ctx, i.cycleId);
  await ctx.db.$transaction(async (tx) => {
    const at = ctx.now();
    const { count } = await tx.cycle.updateMany({
      where: { id: cycle.id, state: "submitted" },
      data: { state: "draft", returnedBy: actor.id, returnedAt: at, returnComment: i.comment, frozenCount: null, frozenDigest: null, frozenTotals: null },
    });
    if (count !== 1) throw new ApiError("ERR_INVALID_STATE", `Only a submitted cycle can be returned; this one is ${cycle.state}.`);
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.return", subject: cycle.id, details: { comment: i.comment } }, at);
  });
  await clearFrozenSet(ctx, cycle.id);
  markStale(ctx, "approvals", "dashboard");
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
  markStale(ctx, "dashboard");
}
