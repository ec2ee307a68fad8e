/**
 * Bulk issuance of one cycle, resumable at any point. A claimed job runs as a list of steps, each
 * one loop in its own file:
 *   1. prepare (`prepare-entitlements.ts`): one entitlement per eligible beneficiary, page by page,
 *      signed as it goes unless helpers or the queue take pages;
 *   2. sign (`sign-chunks.ts`): pending entitlements in chunks of status positions, shared with
 *      helper workers (`help-issuance-job.ts`, SQLite);
 *   3. sweep (`sweep-pending.ts`): whatever a helper that died left pending;
 *   4. finish (`finish-issuance-job.ts`): the ranges handed out through the queue (PostgreSQL),
 *      then the job completes once.
 * A crash loses at most one page of work, which is redone: nothing is created twice (unique keys)
 * and an entitlement is only ever marked issued once (the write checks it is still pending). A
 * worker holds the job by a lease it renews every page; a stale lease can be taken over
 * (`claim-issuance-job.ts`), and the worker that lost it stops at its next write.
 */
import { optionalBinding } from "./cycle-binding";
import { signCredential } from "@haki/credentials/sign";
import { openBulkSql } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";
import { IssuanceAbortedError, IssuanceLeaseLostError } from "./errors";
import type { JobRun, RunOptions, RunResult } from "./issuance-job";
import { prepareEntitlements } from "./prepare-entitlements";
import { signChunks } from "./sign-chunks";
import { sweepPending } from "./sweep-pending";
import { collectHandedOut, finishIssuanceJob } from "./finish-issuance-job";

/**
 * Runs (or resumes) a claimed job until it is done, the lease is lost, or the signal fires.
 *
 * @example
 * const job = await claimIssuanceJob(ctx, workerId);
 * if (job) await runIssuanceJob(ctx, job.id, { workerId });
 */
export async function runIssuanceJob(ctx: ServerContext, jobId: string, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const run = await openJobRun(ctx, jobId, options);
  if (!run) return { state: "lost-lease", signed: 0, seconds: seconds() };
  try {
    await prepareEntitlements(run);
    if (options.stopAfterPrepare) return { state: "prepared", signed: run.signed, seconds: seconds() };
    await signChunks(run);
    await sweepPending(run);
    await collectHandedOut(run);
    const elapsed = seconds();
    const completed = await finishIssuanceJob(run, elapsed);
    return { state: completed ? "completed" : "lost-lease", signed: run.signed, seconds: elapsed };
  } catch (e) {
    if (e instanceof IssuanceLeaseLostError) return { state: "lost-lease", signed: run.signed, seconds: seconds() };
    if (e instanceof IssuanceAbortedError) return { state: "aborted", signed: run.signed, seconds: seconds() };
    throw e;
  } finally {
    await run.bulk.close();
  }
}

/** The run's state, or null when this worker does not hold the job (any more). */
async function openJobRun(ctx: ServerContext, jobId: string, options: RunOptions): Promise<JobRun | null> {
  const job = await ctx.db.issuanceJob.findUniqueOrThrow({
    where: { id: jobId },
    include: { cycle: { include: { programme: true } } },
  });
  if (job.state !== "running" || job.workerId !== options.workerId) return null;
  return {
    ctx,
    options,
    jobId,
    cycle: job.cycle,
    key: await ctx.keys.getSigningKey(),
    publicUrl: ctx.env.HAKI_PUBLIC_URL,
    sign: options.sign ?? signCredential,
    ...optionalBinding(ctx, job.cycle.programme),
    bulk: openBulkSql(ctx.env.DATABASE_URL),
    createdBy: job.createdBy,
    cursor: job.cursor,
    signed: 0,
    pendingPages: 0,
    total: 0,
  };
}
