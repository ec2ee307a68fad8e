/**
 * Bulk issuance on PostgreSQL with pg-boss, so several worker processes share one cycle's signing.
 * The worker that claims a job walks the eligible beneficiaries page by page: it signs and stores a
 * page itself, or, while fewer than `QUEUE_DEPTH` ranges wait in the queue, sends the page's bounds
 * as a pg-boss job for any worker to sign. A range whose worker dies expires and is retried by
 * pg-boss; a range signed twice stores each credential once (unique per cycle and beneficiary).
 * The job's worker then waits for the queue to drain, gives anyone still missing an entitlement
 * theirs, and completes the job once; if it dies, another worker takes the job over after its
 * lease and does the same.
 */
import PgBoss from "pg-boss";
import { signCredential } from "@haki/credentials/sign";
import type { ServerContext } from "@/server/context";
import { claimIssuanceJob } from "./claim-issuance-job";
import { runIssuanceJob } from "./run-issuance-job";
import { signBeneficiaryRange } from "./sign-beneficiary-range";
import type { HandOut, RunOptions, SignEntitlement } from "./issuance-job";

export const SIGN_QUEUE = "haki-issuance-sign";
/** Ranges kept waiting in the queue while the job's worker walks the beneficiaries. */
export const QUEUE_DEPTH = 2;
/** A range takes well under a second to sign; one held for 30 s belongs to a worker that died. */
const QUEUE_POLICY = { retryLimit: 10, retryDelay: 1, expireInSeconds: 30 };

export interface SignRange {
  jobId: string;
  /** Exclusive lower bound (beneficiary id), null for the first range. */
  after: string | null;
  /** Inclusive upper bound (beneficiary id). */
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
 * The job's side of the queue: hand out pages while fewer than `QUEUE_DEPTH` ranges wait, and
 * know when every range sent (by any job) has been signed.
 *
 * @example
 * await runIssuanceJob(ctx, jobId, { workerId, handOut: queueHandOut(boss, jobId) });
 */
export function queueHandOut(boss: PgBoss, jobId: string): HandOut {
  return {
    wanted: async () => (await boss.getQueueSize(SIGN_QUEUE, { before: "active" })) < QUEUE_DEPTH,
    send: async (range) => {
      await boss.send(SIGN_QUEUE, { jobId, ...range } satisfies SignRange);
    },
    drained: async () => (await boss.getQueueSize(SIGN_QUEUE, { before: "completed" })) === 0,
  };
}

/**
 * Claims a queued job (or one whose worker died) and runs it to the end, sharing its pages with
 * the other workers through the queue. Returns the job id, or null when there was nothing to claim.
 *
 * @example
 * await claimAndRun(ctx, boss, workerId);
 */
export async function claimAndRun(
  ctx: ServerContext,
  boss: PgBoss,
  workerId: string,
  options: Pick<RunOptions, "sign" | "prepareBatch" | "signal"> = {},
): Promise<string | null> {
  const job = await claimIssuanceJob(ctx, workerId);
  if (!job) return null;
  const r = await runIssuanceJob(ctx, job.id, { ...options, workerId, handOut: queueHandOut(boss, job.id) });
  if (r.state === "completed")
    console.log(`issuance: job ${job.id} completed in ${r.seconds.toFixed(1)} s (${r.signed} signed here)`);
  return job.id;
}

/**
 * A PostgreSQL issuance worker: claims and runs new jobs, and signs queued ranges, until the
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
    /** Beneficiaries per page (tests use small pages to see the sharing). */
    prepareBatch?: number;
  },
): Promise<void> {
  const boss = options.boss ?? (await startQueue(ctx.env.DATABASE_URL));
  const worker: string = await boss.work<SignRange>(
    SIGN_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (!job) return;
      await signBeneficiaryRange(ctx, job.data, options.sign ?? signCredential);
      // More ranges are likely queued: fetch the next one now instead of after the poll interval.
      boss.notifyWorker(worker);
    },
  );
  while (!options.signal.aborted) {
    const claimed = await claimAndRun(ctx, boss, options.workerId, options).catch(
      async (e: unknown) => {
        console.error("issuance: job failed", e);
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
