/**
 * What any PostgreSQL worker does with a range the job's worker handed out through the queue.
 */
import { optionalBinding } from "./cycle-binding";
import { signCredential } from "@haki/credentials/sign";
import { openBulkSql } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";
import { PREPARE_BATCH, type SignEntitlement } from "./issuance-job";
import { signMissing } from "./sign-missing";

/**
 * Signs a range of beneficiaries handed out by a job's worker (`HandOut`): each eligible one in
 * (after, upto] without an entitlement in the cycle gets one, signed and stored at once. Safe to run
 * twice (a retried queue job): rows already there are skipped. Returns how many it stored.
 *
 * @example
 * await signBeneficiaryRange(ctx, { jobId, after: null, upto: "0b7c..." });
 */
export async function signBeneficiaryRange(
  ctx: ServerContext,
  range: { jobId: string; after: string | null; upto: string },
  sign: SignEntitlement = signCredential,
): Promise<number> {
  const job = await ctx.db.issuanceJob.findUnique({
    where: { id: range.jobId },
    include: { cycle: { include: { programme: true } } },
  });
  if (!job || job.state !== "running") return 0; // finished or failed meanwhile: nothing to add
  const signing = {
    jobId: job.id,
    cycle: job.cycle,
    key: await ctx.keys.getSigningKey(),
    publicUrl: ctx.env.HAKI_PUBLIC_URL,
    sign,
    ...optionalBinding(ctx, job.cycle.programme),
  };
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  const tally = { signed: 0 };
  try {
    await signMissing(bulk, signing, { after: range.after, upto: range.upto, limit: PREPARE_BATCH, now: ctx.now }, tally);
  } finally {
    await bulk.close();
  }
  return tally.signed;
}
