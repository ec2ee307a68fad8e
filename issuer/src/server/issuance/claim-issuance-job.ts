/**
 * Step "claim": a worker takes a job with a lease before it runs it.
 */
import type { ServerContext } from "@/server/context";
import { LEASE_MS } from "./issuance-job";

/**
 * Takes the oldest queued job, or a running one whose lease ran out (its worker died).
 *
 * @example
 * const job = await claimIssuanceJob(ctx, "worker-1");
 */
export async function claimIssuanceJob(ctx: ServerContext, workerId: string): Promise<{ id: string } | null> {
  const now = ctx.now();
  const stale = new Date(now.getTime() - LEASE_MS);
  const candidates = await ctx.db.issuanceJob.findMany({
    where: { OR: [{ state: "queued" }, { state: "running", heartbeatAt: { lt: stale } }] },
    orderBy: { createdAt: "asc" },
    take: 5,
  });
  for (const job of candidates) {
    // Compare-and-set on the state and heartbeat seen: of two workers, one wins.
    const { count } = await ctx.db.issuanceJob.updateMany({
      where: { id: job.id, state: job.state, heartbeatAt: job.heartbeatAt },
      data: { state: "running", workerId, heartbeatAt: now, startedAt: job.startedAt ?? now },
    });
    if (count === 1) return { id: job.id };
  }
  return null;
}
