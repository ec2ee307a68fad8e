/**
 * Step "help" (SQLite: several processes on one file, no queue): a worker with no job of its own
 * signs chunks of a job another worker holds.
 */
import { optionalBinding } from "./cycle-binding";
import { signCredential } from "@haki/credentials/sign";
import { openBulkSql, positionSpan, preparedSpan, setCounterStatement } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";
import { STATUS_LIST_SIZE } from "./entitlement-input";
import { HUNGRY_WAIT_MS, LEASE_MS, SIGN_BATCH, hungryFlag, type RunOptions } from "./issuance-job";
import { claimChunk } from "./sign-chunks";
import { signPage, storeSigned } from "./sign-page";

/**
 * Helps sign a job another worker holds: claims signing chunks of a running job until none is
 * left, from the first prepared page on (the holder prepares the rest meanwhile; call again for
 * the chunks prepared since). Returns how many credentials this worker stored (0 when there was
 * nothing to help with).
 *
 * @example
 * if ((await claimIssuanceJob(ctx, workerId)) === null) await helpIssuanceJob(ctx, { workerId });
 */
export async function helpIssuanceJob(
  ctx: ServerContext,
  options: Pick<RunOptions, "workerId" | "signal" | "sign" | "signBatch"> & {
    /** How long to wait for the holder to store pending pages before giving up (default 2 s). */
    hungryWaitMs?: number;
  },
): Promise<number> {
  const { db } = ctx;
  const fresh = new Date(ctx.now().getTime() - LEASE_MS);
  const job = await db.issuanceJob.findFirst({
    where: {
      state: "running",
      // Signing, or still preparing: a helper signs the chunks prepared so far meanwhile.
      OR: [{ cursor: { startsWith: "sign:" } }, { cursor: { startsWith: "prep:" } }],
      heartbeatAt: { gte: fresh },
      workerId: { not: options.workerId },
    },
    orderBy: { createdAt: "asc" },
    include: { cycle: { include: { programme: true } } },
  });
  if (!job) return 0;
  const signing = { cycle: job.cycle, key: await ctx.keys.getSigningKey(), publicUrl: ctx.env.HAKI_PUBLIC_URL, sign: options.sign ?? signCredential, ...optionalBinding(ctx, job.cycle.programme) };
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  let signed = 0;
  try {
    const chunks = { bulk, jobId: job.id, cycleId: job.cycleId, chunk: options.signBatch ?? SIGN_BATCH };
    let preparing = job.cursor?.startsWith("prep:") ?? false;
    const spanOf = async () =>
      (await preparedSpan(bulk, job.id)) ?? (preparing ? null : await positionSpan(bulk, job.cycleId, STATUS_LIST_SIZE));
    let span = await spanOf();
    let idleSince = performance.now();
    while (!options.signal?.aborted) {
      const page = span
        ? await claimChunk(chunks, { ...span, preparing }).catch(() => null) // the counter goes when the job completes
        : null;
      if (page) {
        const jwts = await signPage(page, signing);
        signed += (await storeSigned(bulk, page, jwts, ctx.now(), { jobId: job.id })).stored;
        idleSince = performance.now();
        continue;
      }
      // No chunk left. While the holder still prepares, ask it for pending pages and wait a little;
      // give up when it has not fed this helper for a while (it is gone, or it has no more pages).
      if (!preparing || performance.now() - idleSince > (options.hungryWaitMs ?? HUNGRY_WAIT_MS)) break;
      await bulk.batch([setCounterStatement(bulk, hungryFlag(job.id), 1)]);
      await new Promise((r) => setTimeout(r, 10));
      const now = await db.issuanceJob.findUnique({ where: { id: job.id }, select: { state: true, cursor: true } });
      if (now?.state !== "running") break;
      preparing = now.cursor?.startsWith("prep:") ?? false;
      span = await spanOf();
    }
  } finally {
    await bulk.close();
  }
  return signed;
}
