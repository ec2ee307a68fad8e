/**
 * Step "sign": the cycle's status positions are cut into chunks, and the job's worker and any
 * helper (another process on the same SQLite file, `helpIssuanceJob`) take chunk numbers from one
 * counter, sign a chunk in a tight loop and store it in one multi-row write.
 */
import { positionSpan, preparedSpan, selectPending, takeNumber, type BulkSql, type SignRow } from "@haki/db/bulk";
import { STATUS_LIST_SIZE } from "./entitlement-input";
import { SIGN_BATCH, checkAborted, chunkCounter, createChunkCounter, type JobRun } from "./issuance-job";
import { signOwnPage } from "./sign-page";

/**
 * Signs the chunks of pending entitlements no one has taken yet. A fresh job that fused every page
 * left nothing pending and skips the step (the sweep checks that in one query).
 *
 * @example
 * await signChunks(run);
 */
export async function signChunks(run: JobRun): Promise<void> {
  const { ctx, bulk, jobId, cycle } = run;
  run.total = await ctx.db.entitlement.count({ where: { cycleId: cycle.id } });
  await createChunkCounter(ctx, jobId); // a job prepared before chunks existed
  const span =
    run.cursor === null && run.pendingPages === 0
      ? null
      : ((await preparedSpan(bulk, jobId)) ?? (await positionSpan(bulk, cycle.id, STATUS_LIST_SIZE)));
  if (!span) return;
  const chunks = { bulk, jobId, cycleId: cycle.id, chunk: run.options.signBatch ?? SIGN_BATCH };
  for (;;) {
    checkAborted(run);
    const page = await claimChunk(chunks, span);
    if (!page) return;
    await signOwnPage(run, page);
    await run.options.afterPage?.("sign");
  }
}

/**
 * Pending rows of the next untaken chunk of status positions (null: no chunk left). While the job
 * is still preparing (`span.preparing`), only chunks that end at or before the last prepared
 * position are handed out: positions are reserved and inserted in one transaction, page after
 * page, so every position up to the last one is final (a partly prepared chunk waits).
 *
 * @example
 * const page = await claimChunk({ bulk, jobId, cycleId, chunk: 1000 }, { first: 0, last: 99_999 });
 */
export async function claimChunk(
  s: { bulk: BulkSql; jobId: string; cycleId: string; chunk: number },
  span: { first: number; last: number; preparing?: boolean },
): Promise<SignRow[] | null> {
  const base = Math.floor(span.first / s.chunk) * s.chunk;
  const count = span.preparing
    ? Math.floor((span.last + 1 - base) / s.chunk)
    : Math.floor((span.last - base) / s.chunk) + 1;
  if (count <= 0) return null;
  for (;;) {
    const k = await takeNumber(s.bulk, chunkCounter(s.jobId), count);
    if (k === null) return null;
    const rows: SignRow[] = [];
    for (const seg of segments(base + k * s.chunk, base + (k + 1) * s.chunk)) {
      rows.push(...(await selectPending(s.bulk, { cycleId: s.cycleId, filter: { kind: "positions", ...seg }, limit: s.chunk })));
    }
    if (rows.length > 0) return rows;
  }
}

/** The (list, index range) segments of global positions [from, to): a chunk may span two lists. */
function segments(from: number, to: number): { list: number; fromIndex: number; toIndex: number }[] {
  const out: { list: number; fromIndex: number; toIndex: number }[] = [];
  for (let a = from; a < to; ) {
    const list = Math.floor(a / STATUS_LIST_SIZE) + 1;
    const end = Math.min(to, list * STATUS_LIST_SIZE);
    out.push({ list, fromIndex: a % STATUS_LIST_SIZE, toIndex: end - (list - 1) * STATUS_LIST_SIZE });
    a = end;
  }
  return out;
}
