/**
 * The issuance worker loop: claims jobs and runs them; a job that throws is marked failed (and can
 * be resumed from its cursor by queueing it again). On PostgreSQL it runs the pg-boss worker.
 */
import { hostname } from "node:os";
import type { ServerContext } from "@/server/context";
import { databaseProvider } from "@haki/db";
import { claimIssuanceJob } from "./claim-issuance-job";
import { helpIssuanceJob } from "./help-issuance-job";
import { runIssuanceJob } from "./run-issuance-job";
import type { RunOptions } from "./issuance-job";
import { runPgIssuanceWorker } from "./pg-queue";

/**
 * Runs jobs until the signal fires. Returns when stopped.
 *
 * @example
 * const controller = new AbortController();
 * void runIssuanceWorker(ctx, { signal: controller.signal });
 */
export async function runIssuanceWorker(
  ctx: ServerContext,
  options: { signal: AbortSignal; pollMs?: number; workerId?: string } & Pick<RunOptions, "sign">,
): Promise<void> {
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  // PostgreSQL: pg-boss lets every worker process share the signing of one cycle.
  if (databaseProvider(ctx.env.DATABASE_URL) === "postgresql")
    return runPgIssuanceWorker(ctx, { ...options, workerId });
  while (!options.signal.aborted) {
    const job = await claimIssuanceJob(ctx, workerId).catch((e: unknown) => {
      console.error("issuance worker: claim failed", e);
      return null;
    });
    if (!job) {
      // Nothing to claim: help sign a job another worker holds (several processes on one file).
      const helped = await helpIssuanceJob(ctx, {
        workerId,
        signal: options.signal,
        sign: options.sign,
      }).catch((e: unknown) => {
        console.error("issuance worker: helping failed", e);
        return 0;
      });
      if (helped > 0) continue;
      await new Promise((r) => setTimeout(r, options.pollMs ?? 2000));
      continue;
    }
    try {
      const result = await runIssuanceJob(ctx, job.id, {
        workerId,
        signal: options.signal,
        sign: options.sign,
      });
      if (result.state === "completed") {
        console.log(
          `issuance: job ${job.id} signed ${result.signed} in ${result.seconds.toFixed(1)} s`,
        );
      }
    } catch (e) {
      console.error(`issuance: job ${job.id} failed`, e);
      await ctx.db.issuanceJob
        .updateMany({
          where: { id: job.id, workerId },
          data: { state: "failed", error: String((e as Error).message ?? e).slice(0, 1000) },
        })
        .catch(() => undefined);
    }
  }
}
