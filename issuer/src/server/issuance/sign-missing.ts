/**
 * Gives members of a job's cycle's frozen set who have no entitlement yet theirs, signed and
 * stored at once: a range handed out through the queue (PostgreSQL), and the job's final pass
 * over ranges lost on the way.
 */
import type { BulkSql } from "@haki/db/bulk";
import { IssuanceAbortedError } from "./errors";
import { holdLease, type JobSigning } from "./issuance-job";
import { selectEligiblePage } from "./eligible-page";
import { fusePage } from "./sign-page";

/**
 * Signs the missing ones in (after, upto] (to the end without `upto`), `limit` a page, adding what
 * it stores to `tally.signed`. With `workerId` each page renews the job's lease (throws
 * `IssuanceLeaseLostError` when lost); `signal` stops it between pages (`IssuanceAbortedError`).
 * Safe to run twice: rows already there are skipped.
 *
 * @example
 * await signMissing(bulk, signing, { after: null, limit: 2000, now: ctx.now }, { signed: 0 });
 */
export async function signMissing(
  bulk: BulkSql,
  signing: JobSigning,
  range: { after: string | null; upto?: string; limit: number; now: () => Date; workerId?: string; signal?: AbortSignal },
  tally: { signed: number },
): Promise<void> {
  for (let after = range.after; ; ) {
    if (range.signal?.aborted) throw new IssuanceAbortedError();
    const page = await selectEligiblePage(bulk, { cycleId: signing.cycle.id, after, upto: range.upto, limit: range.limit, missingOnly: true });
    if (page.length === 0) return;
    const r = await fusePage(bulk, signing, { page, at: range.now(), workerId: range.workerId });
    tally.signed += r.stored;
    holdLease(r.held);
    after = page[page.length - 1]!.id;
  }
}
