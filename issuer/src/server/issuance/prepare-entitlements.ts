/**
 * Step "prepare": one entitlement per member of the cycle's frozen eligible set, page by page in beneficiary id order
 * (cursor "prep:<last id>"). Alone, the job's worker signs each page before it stores it ("fused":
 * one insert of finished rows, no pending row to rewrite later). When a helper says it is out of
 * work, the next pages go in pending for it to sign; on PostgreSQL a page may instead be handed to
 * the queue (`RunOptions.handOut`).
 */
import { prepareStatements, progressStatement, readCounter, selectEntitled, setCounterStatement, spanStatements } from "@haki/db/bulk";
import { newEntitlementId } from "./entitlement-ids";
import { STATUS_LIST_SIZE } from "./entitlement-input";
import { countEligibleMembers, selectEligiblePage, type EligibleBeneficiary } from "./eligible-page";
import { fusePage } from "./sign-page";
import {
  FEED_PAGES,
  PREPARE_BATCH,
  beat,
  checkAborted,
  createChunkCounter,
  holdLease,
  hungryFlag,
  type JobRun,
} from "./issuance-job";

/**
 * Walks the eligible beneficiaries from the job's cursor to the end; nothing to do when the job
 * was prepared before ("sign:" cursor). Throws `IssuanceLeaseLostError` / `IssuanceAbortedError`.
 *
 * @example
 * await prepareEntitlements(run);
 */
export async function prepareEntitlements(run: JobRun): Promise<void> {
  const { ctx, bulk, cycle, jobId, options } = run;
  if (run.cursor !== null && !run.cursor.startsWith("prep:")) return;
  let after = run.cursor?.slice(5) ?? "";
  // Helpers sign prepared chunks while this worker prepares the rest, so the counter comes first.
  await createChunkCounter(ctx, jobId);
  // Fresh statistics, or the planner may page through beneficiaries by the enrolment index and
  // sort every page (one value, "active", for nearly all rows): quadratic over a million rows.
  await ctx.db.$executeRawUnsafe(`ANALYZE "Beneficiary"`);
  await ctx.db.$executeRawUnsafe(`ANALYZE "CycleMember"`);
  await beat(run, { total: await countEligibleMembers(bulk, cycle.id) });
  const fuse = !options.stopAfterPrepare && options.fuse !== false;
  let feed = 0; // pages still to store pending for a helper that asked
  for (;;) {
    checkAborted(run);
    const page = await selectEligiblePage(bulk, {
      cycleId: cycle.id,
      after: after || null,
      limit: options.prepareBatch ?? PREPARE_BATCH,
    });
    if (page.length === 0) break;
    const last = page[page.length - 1]!.id;
    const at = ctx.now();
    const cursor = `prep:${last}`;
    if (options.handOut && (await options.handOut.wanted())) {
      // Another worker signs this page: send its bounds, then move the cursor past it (a crash
      // in between sends it twice, which stores it once).
      await options.handOut.send({ after: after || null, upto: last });
      const [held] = await bulk.batch([progressStatement(bulk, { jobId, workerId: options.workerId, add: 0, at, cursor })]);
      holdLease(held === 1);
      after = last;
      continue;
    }
    const have = await selectEntitled(bulk, { cycleId: cycle.id, from: page[0]!.id, to: last });
    const fresh = page.filter((b) => !have.has(b.id));
    if (fuse && feed === 0 && (await readCounter(bulk, hungryFlag(jobId))) === 1) feed = FEED_PAGES;
    if (!fuse || feed > 0 || fresh.length === 0) {
      await storePending(run, fresh, { at, cursor, fed: feed === FEED_PAGES });
      if (feed > 0) feed--;
      await options.afterPage?.("prepare");
    } else {
      const r = await fusePage(bulk, run, { page: fresh, at, workerId: options.workerId, cursor, publishSpan: true });
      run.signed += r.stored;
      holdLease(r.held);
      await options.afterPage?.("sign");
    }
    after = last;
  }
  const done = await ctx.db.entitlement.count({ where: { cycleId: cycle.id, status: { not: "pending" } } });
  await beat(run, { cursor: "sign:", done });
}

/**
 * Stores a page's entitlements pending (at freshly reserved positions, published as the job's
 * span for helpers) with the cursor moved past the page; `fed` lowers the helper's hungry flag.
 */
async function storePending(
  run: JobRun,
  fresh: EligibleBeneficiary[],
  args: { at: Date; cursor: string; fed: boolean },
): Promise<void> {
  const { bulk, jobId, options } = run;
  const rows = fresh.map((b) => ({ id: newEntitlementId(), beneficiaryId: b.id }));
  const changed = await bulk.batch([
    ...(rows.length
      ? [
          ...prepareStatements(bulk, { cycleId: run.cycle.id, page: rows, at: args.at, listSize: STATUS_LIST_SIZE }),
          ...spanStatements(bulk, jobId, { reserved: rows.length }),
        ]
      : []),
    ...(args.fed ? [setCounterStatement(bulk, hungryFlag(jobId), 0)] : []),
    progressStatement(bulk, { jobId, workerId: options.workerId, add: 0, at: args.at, cursor: args.cursor }),
  ]);
  if (rows.length) run.pendingPages++;
  holdLease(changed[changed.length - 1] === 1);
}
