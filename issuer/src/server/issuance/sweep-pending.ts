/**
 * Step "sweep": after the chunks, the job's worker signs whatever is still pending in id order (a
 * chunk whose helper died before storing it).
 */
import { selectPending } from "@haki/db/bulk";
import { SIGN_BATCH, checkAborted, type JobRun } from "./issuance-job";
import { signOwnPage } from "./sign-page";

/**
 * Signs every entitlement of the cycle still pending.
 *
 * @example
 * await sweepPending(run);
 */
export async function sweepPending(run: JobRun): Promise<void> {
  const limit = run.options.signBatch ?? SIGN_BATCH;
  for (let after: string | null = null; ; ) {
    checkAborted(run);
    const page = await selectPending(run.bulk, { cycleId: run.cycle.id, filter: { kind: "ids", after }, limit });
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    await signOwnPage(run, page);
    await run.options.afterPage?.("sign");
  }
}
