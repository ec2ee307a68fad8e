/**
 * Bulk issuance on PostgreSQL with pg-boss, so several worker processes share one cycle's signing:
 * the worker that claims a job prepares its entitlements (as on SQLite), then cuts the pending
 * ones into ranges of entitlement ids and queues one pg-boss job per range. Any worker signs any
 * range; a range whose worker dies expires and is retried by pg-boss. Signing stays idempotent
 * (only pending rows are written), so a range done twice stores each credential once. The worker
 * that finishes the last range marks the job completed.
 */
import PgBoss from "pg-boss";
import { signCredential } from "@haki/credentials/sign";
import type { ServerContext } from "../context";
import { appendAuditEvent } from "../audit/append-audit-event";
import {
  claimIssuanceJob,
  runIssuanceJob,
  signPage,
  storeSigned,
  SIGN_BATCH,
  type SignEntitlement,
} from "./run-issuance-job";
import { selectPending } from "./bulk-sql";
import { openBulkSql } from "../lib/bulk-driver";

export const SIGN_QUEUE = "haki-issuance-sign";
/** Entitlements per queued range. */
export const RANGE_SIZE = 1000;
/** A range takes well under a second to sign; one held for 30 s belongs to a worker that died. */
const QUEUE_POLICY = { retryLimit: 10, retryDelay: 1, expireInSeconds: 30 };

export interface SignRange {
  jobId: string;
  /** Exclusive lower bound (entitlement id), null for the first range. */
  after: string | null;
  /** Inclusive upper bound. */
  upto: string;
}

/**
 * Starts a pg-boss instance on the issuer's PostgreSQL (its own schema) with the signing queue.
 *
 * @example
 * const boss = await startQueue(ctx.env.DATABASE_URL);
 */
export async function startQueue(url: string): Promise<PgBoss> {
  // Maintenance every 10 s fails ranges whose worker died (expired) so they are retried soon.
  const boss = new PgBoss({
    connectionString: url,
    schema: "haki_queue",
    max: 4,
    maintenanceIntervalSeconds: 10,
  });
  boss.on("error", (e: unknown) => console.error("pg-boss:", e));
  await boss.start();
  const queue = await boss.getQueue(SIGN_QUEUE);
  if (!queue) {
    // Two workers starting at once race to create the queue; PostgreSQL may abort one of them with
    // a deadlock before the other has committed, so look again for a moment before giving up.
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(SIGN_QUEUE, { name: SIGN_QUEUE, ...QUEUE_POLICY });
        break;
      } catch (e) {
        if (await boss.getQueue(SIGN_QUEUE)) break;
        if (attempt >= 5) throw e;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  } else if (queue.expireInSeconds !== QUEUE_POLICY.expireInSeconds) {
    await boss.updateQueue(SIGN_QUEUE, { name: SIGN_QUEUE, ...QUEUE_POLICY });
  }
  return boss;
}

/**
 * Claims a queued job, prepares it, and queues its signing ranges. Returns the job id, or null when
 * there was nothing to claim.
 *
 * @example
 * await prepareAndFanOut(ctx, boss, workerId);
 */
export async function prepareAndFanOut(
  ctx: ServerContext,
  boss: PgBoss,
  workerId: string,
): Promise<string | null> {
  const job = await claimIssuanceJob(ctx, workerId);
  if (!job) return null;
  const r = await runIssuanceJob(ctx, job.id, { workerId, stopAfterPrepare: true });
  if (r.state !== "prepared") return job.id;
  const { cycleId } = await ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: job.id } });
  const last = await ctx.db.entitlement.findFirst({
    where: { cycleId, status: "pending" },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  let after: string | null = null;
  while (last) {
    // The RANGE_SIZE-th pending id after the previous range ends this one.
    const ids: { id: string }[] = await ctx.db.entitlement.findMany({
      where: { cycleId, status: "pending", ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      skip: RANGE_SIZE - 1,
      take: 1,
      select: { id: true },
    });
    const upto: string = ids[0]?.id ?? last.id;
    await boss.send(SIGN_QUEUE, { jobId: job.id, after, upto } satisfies SignRange);
    after = upto;
    if (upto === last.id) break;
  }
  // "signing" is not claimable: from here pg-boss owns the work.
  await ctx.db.issuanceJob.updateMany({
    where: { id: job.id, workerId, state: "running" },
    data: { state: "signing", heartbeatAt: ctx.now() },
  });
  await finishIfDone(ctx, job.id);
  return job.id;
}

/**
 * Signs one range (a pg-boss job's data).
 *
 * @example
 * await boss.work(SIGN_QUEUE, async ([job]) => signRange(ctx, job.data));
 */
export async function signRange(
  ctx: ServerContext,
  range: SignRange,
  sign: SignEntitlement = signCredential,
): Promise<number> {
  const job = await ctx.db.issuanceJob.findUnique({
    where: { id: range.jobId },
    include: { cycle: { include: { programme: true } } },
  });
  if (!job) return 0;
  const key = await ctx.keys.getSigningKey();
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  let signed = 0;
  let after = range.after;
  for (;;) {
    const page = await selectPending(bulk, {
      cycleId: job.cycleId,
      filter: { kind: "ids", after, upto: range.upto },
      limit: SIGN_BATCH,
    });
    if (page.length === 0) break;
    const jwts = await signPage(page, {
      cycle: job.cycle,
      key,
      publicUrl: ctx.env.HAKI_PUBLIC_URL,
      sign,
    });
    signed += (await storeSigned(bulk, page, jwts, ctx.now())).stored;
    after = page[page.length - 1]!.id;
  }
  await bulk.close();
  // Progress by increment: a count over the cycle after every range grows with the cycle.
  await ctx.db.issuanceJob.updateMany({
    where: { id: job.id, state: "signing" },
    data: { done: { increment: signed }, heartbeatAt: ctx.now() },
  });
  await finishIfDone(ctx, job.id);
  return signed;
}

/** Marks a signing job completed once nothing is pending (once: the state is in the WHERE). */
export async function finishIfDone(ctx: ServerContext, jobId: string): Promise<boolean> {
  const job = await ctx.db.issuanceJob.findUnique({ where: { id: jobId } });
  if (!job || job.state !== "signing") return false;
  // Is anything pending? One index probe, not a count (this runs after every range).
  if (
    await ctx.db.entitlement.findFirst({
      where: { cycleId: job.cycleId, status: "pending" },
      select: { id: true },
    })
  )
    return false;
  return ctx.db.$transaction(async (tx) => {
    const done = await tx.entitlement.count({
      where: { cycleId: job.cycleId, status: { not: "pending" } },
    });
    const secs = job.startedAt ? (ctx.now().getTime() - job.startedAt.getTime()) / 1000 : 0;
    const { count } = await tx.issuanceJob.updateMany({
      where: { id: jobId, state: "signing" },
      data: {
        state: "completed",
        done,
        total: done,
        finishedAt: ctx.now(),
        throughput: secs > 0 ? done / secs : null,
      },
    });
    if (count !== 1) return false;
    // The SQLite chunk counter is made during preparation; ranges replaced it here.
    await tx.counter.deleteMany({ where: { name: `issuance-chunk:${jobId}` } });
    await tx.cycle.updateMany({
      where: { id: job.cycleId, state: "approved" },
      data: { state: "issued", issuedAt: ctx.now() },
    });
    await appendAuditEvent(tx, ctx.now(), {
      actorId: job.createdBy,
      action: "issuance.complete",
      subject: jobId,
      details: { cycleId: job.cycleId, total: done },
    });
    return true;
  });
}

/**
 * A PostgreSQL issuance worker: claims and fans out new jobs, and signs queued ranges, until the
 * signal fires. Run as many as the machine has cores, on as many machines as needed.
 *
 * @example
 * await runPgIssuanceWorker(ctx, { signal, workerId: "host-1:42" });
 */
export async function runPgIssuanceWorker(
  ctx: ServerContext,
  options: {
    signal: AbortSignal;
    workerId: string;
    pollMs?: number;
    sign?: SignEntitlement;
    boss?: PgBoss;
  },
): Promise<void> {
  const boss = options.boss ?? (await startQueue(ctx.env.DATABASE_URL));
  const worker: string = await boss.work<SignRange>(
    SIGN_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (!job) return;
      await signRange(ctx, job.data, options.sign);
      // More ranges are likely queued: fetch the next one now instead of after the poll interval.
      boss.notifyWorker(worker);
    },
  );
  while (!options.signal.aborted) {
    const claimed = await prepareAndFanOut(ctx, boss, options.workerId).catch(
      async (e: unknown) => {
        console.error("issuance: prepare failed", e);
        await ctx.db.issuanceJob
          .updateMany({
            where: { workerId: options.workerId, state: "running" },
            data: { state: "failed", error: String((e as Error).message ?? e).slice(0, 1000) },
          })
          .catch(() => undefined);
        return null;
      },
    );
    if (!claimed) await new Promise((r) => setTimeout(r, options.pollMs ?? 2000));
  }
  if (!options.boss) await boss.stop({ graceful: true, wait: true });
}
