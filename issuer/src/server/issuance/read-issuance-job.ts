import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";

/**
 * An issuance job's progress and throughput, for the console's progress line (404 when unknown).
 *
 * @example
 * const job = await readIssuanceJob(ctx, jobId); // { state: "running", done: 8000, total: 100000, ... }
 */
export async function readIssuanceJob(ctx: ServerContext, id: string) {
  const job = await ctx.db.issuanceJob.findUnique({ where: { id } });
  if (!job) throw new ApiError("ERR_NOT_FOUND", "No such job.");
  const { state, done, total, throughput, error, startedAt, finishedAt, cycleId } = job;
  return { id, cycleId, state, done, total, throughput, error, startedAt, finishedAt };
}
