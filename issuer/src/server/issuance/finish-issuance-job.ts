/**
 * Step "finish": on PostgreSQL, wait for the ranges handed out through the queue and give anyone a
 * lost range missed theirs; then complete the job once, with the cycle marked issued and the audit
 * event, in one transaction.
 */
import { spanCounters } from "@haki/db/bulk";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { PREPARE_BATCH, beat, checkAborted, chunkCounter, hungryFlag, type JobRun } from "./issuance-job";
import { signMissing } from "./sign-missing";

/**
 * Waits (renewing the lease) until every range handed out has been signed, then gives anyone a
 * range lost on the way (a queue job that failed for good) missed: one pass of the eligible
 * beneficiaries without an entitlement in the cycle. Nothing to do without a hand-out.
 *
 * @example
 * await collectHandedOut(run);
 */
export async function collectHandedOut(run: JobRun): Promise<void> {
  const { handOut } = run.options;
  if (!handOut) return;
  while (!(await handOut.drained())) {
    checkAborted(run);
    await beat(run, {});
    await new Promise((r) => setTimeout(r, 100));
  }
  const { options } = run;
  await signMissing(
    run.bulk,
    run,
    { after: null, limit: options.prepareBatch ?? PREPARE_BATCH, now: run.ctx.now, workerId: options.workerId, signal: options.signal },
    run,
  );
}

/**
 * Completes the job if this worker still holds it: counts what was stored, records the
 * throughput, removes the job's counters, marks the cycle issued, appends the audit event.
 * Returns false when another worker took the job over.
 *
 * @example
 * const completed = await finishIssuanceJob(run, 12.5);
 */
export async function finishIssuanceJob(run: JobRun, seconds: number): Promise<boolean> {
  const { ctx, jobId, cycle } = run;
  return ctx.db.$transaction(async (tx) => {
    const done = await tx.entitlement.count({ where: { cycleId: cycle.id, status: { not: "pending" } } });
    const { count } = await tx.issuanceJob.updateMany({
      where: { id: jobId, workerId: run.options.workerId, state: "running" },
      data: {
        state: "completed",
        finishedAt: ctx.now(),
        done,
        // Ranges signed by other workers land after the count at the start of the signing step.
        total: Math.max(run.total, done),
        throughput: seconds > 0 ? done / seconds : null,
        heartbeatAt: ctx.now(),
      },
    });
    if (count !== 1) return false;
    const { first, last } = spanCounters(jobId);
    await tx.counter.deleteMany({ where: { name: { in: [chunkCounter(jobId), hungryFlag(jobId), first, last] } } });
    await tx.cycle.updateMany({ where: { id: cycle.id, state: "approved" }, data: { state: "issued", issuedAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, {
      actorId: run.createdBy,
      action: "issuance.complete",
      subject: jobId,
      details: { cycleId: cycle.id, total: done },
    });
    return true;
  });
}
