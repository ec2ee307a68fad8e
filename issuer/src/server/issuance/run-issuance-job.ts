/**
 * Bulk issuance of one cycle, resumable at any point:
 *   1. prepare: one entitlement row per eligible beneficiary (unique per cycle and beneficiary),
 *      each with a status list index, page by page in beneficiary id order (cursor "prep:<id>");
 *   2. sign: the cycle's status positions are cut into chunks; the job's worker and any helper
 *      worker (another process on the same SQLite file, see `helpIssuanceJob`) claim chunk numbers
 *      from one counter, sign a chunk in a tight loop and store it in one multi-row write; then the
 *      job's worker sweeps whatever is still pending (a chunk whose helper died) in id order.
 *      Helpers start during step 1, on the chunks prepared so far, so no core waits for it.
 * A crash loses at most one page of work, which is redone: nothing is created twice (unique keys)
 * and an entitlement is only ever marked issued once (the write checks it is still pending).
 * A worker holds the job by a lease it renews every page; a stale lease can be taken over.
 */
import type { SigningKey } from "@haki/credentials/keys";
import { signCredential } from "@haki/credentials/sign";
import type { EntitlementInput } from "@haki/credentials/model";
import type { Tx } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { newEntitlementId } from "./entitlement-ids";
import { EligibilityRule, ruleToSql, ruleToWhere } from "@/server/programmes/eligibility-rule";
import { STATUS_LIST_SIZE, entitlementInput } from "./entitlement-input";
import {
  insertSignedStatements,
  positionSpan,
  preparedSpan,
  prepareStatements,
  progressStatement,
  readCounter,
  reservePositions,
  selectPending,
  setCounterStatement,
  spanCounters,
  spanStatements,
  storeSignedStatement,
  takeNumber,
  type SignRow,
} from "./bulk-sql";
import { openBulkSql, placeholder, type BatchItem, type BulkSql } from "@/server/lib/bulk-driver";
import { makeCycleSigner } from "./cycle-signer";

/** The signing seam: the job does not care how a credential is signed. */
export type SignEntitlement = (input: EntitlementInput, key: SigningKey) => Promise<string>;

export const LEASE_MS = 60_000;
/** Beneficiaries per prepare page (one multi-row insert each). */
export const PREPARE_BATCH = 2000;
/** Status positions per signing chunk (one read, one multi-row write). */
export const SIGN_BATCH = 1000;
/** Pages the holder stores pending each time a helper runs out of chunks to sign. */
export const FEED_PAGES = 2;
/** How long a helper out of chunks waits for the preparing holder to feed it. */
export const HUNGRY_WAIT_MS = 2000;

export interface RunOptions {
  workerId: string;
  signal?: AbortSignal;
  prepareBatch?: number;
  signBatch?: number;
  sign?: SignEntitlement;
  /** Stop once every entitlement is stored (pending ones included), for helpers to sign the rest. */
  stopAfterPrepare?: boolean;
  /** false: store every page pending and sign afterwards. Default true (sign each page as it goes). */
  fuse?: boolean;
  /** PostgreSQL: hand pages to the other workers through the queue while they are short of work. */
  handOut?: HandOut;
  /** Test hook: called after each committed page (to simulate a crash between pages). */
  afterPage?: (phase: "prepare" | "sign") => void | Promise<void>;
}

export type RunResult = {
  state: "completed" | "prepared" | "lost-lease" | "aborted";
  signed: number;
  seconds: number;
};

type CycleWithProgramme = Parameters<typeof entitlementInput>[0]["cycle"] & {
  programme: Parameters<typeof entitlementInput>[0]["programme"];
};
type PendingEntitlement = Parameters<typeof entitlementInput>[0]["entitlement"] & {
  beneficiary: Parameters<typeof entitlementInput>[0]["beneficiary"];
};

const cycleSigners = new WeakMap<
  object,
  { key: SigningKey; publicUrl: string; sign: ReturnType<typeof makeCycleSigner> }
>();

/**
 * Signs a page of entitlements. Signing is CPU only; the database is not touched.
 *
 * @example
 * const jwts = await signPage(page, { cycle, key, publicUrl, sign: signCredential });
 */
export function signPage(
  page: PendingEntitlement[],
  args: {
    cycle: CycleWithProgramme;
    key: SigningKey & { did: string };
    publicUrl: string;
    sign: SignEntitlement;
  },
): Promise<string[]> {
  const issuer = { did: args.key.did, publicUrl: args.publicUrl };
  if (args.sign === signCredential) {
    // The default signer: validate the cycle once, not per credential (same bytes, see cycle-signer).
    let cached = cycleSigners.get(args.cycle);
    if (!cached || cached.key !== args.key || cached.publicUrl !== args.publicUrl) {
      cached = {
        key: args.key,
        publicUrl: args.publicUrl,
        sign: makeCycleSigner({ cycle: args.cycle, programme: args.cycle.programme }, args.key, issuer),
      };
      cycleSigners.set(args.cycle, cached);
    }
    return Promise.all(page.map(cached.sign));
  }
  return Promise.all(
    page.map((e) =>
      args.sign(
        entitlementInput(
          {
            entitlement: e,
            cycle: args.cycle,
            programme: args.cycle.programme,
            beneficiary: e.beneficiary,
          },
          issuer,
        ),
        args.key,
      ),
    ),
  );
}

/**
 * Stores signed credentials in one multi-row write per 1,000 and, with `progress`, adds them to
 * the job's count (renewing the lease when a worker id is given) in the same transaction. Only
 * still-pending rows change, so a page redone after a crash (or signed by two workers) is stored
 * once. Returns how many rows changed and whether the job still held (true without a lease).
 *
 * @example
 * const { stored } = await storeSigned(bulk, page, jwts, new Date());
 */
export async function storeSigned(
  bulk: BulkSql,
  page: { id: string }[],
  jwts: string[],
  at: Date,
  progress?: { jobId: string; workerId?: string; cursor?: string; total?: number },
): Promise<{ stored: number; held: boolean }> {
  const statements: BatchItem[] = [];
  for (let i = 0; i < page.length; i += 1000)
    statements.push(
      storeSignedStatement(bulk.provider, page.slice(i, i + 1000), jwts.slice(i, i + 1000), at),
    );
  if (statements.length === 0) return { stored: 0, held: true };
  const writes = statements.length;
  const sum = (changed: number[]) => changed.slice(0, writes).reduce((a, b) => a + b, 0);
  if (progress)
    statements.push((changed) =>
      progressStatement(bulk.provider, { ...progress, add: sum(changed), at }),
    );
  const changed = await bulk.batch(statements);
  const held = !progress?.workerId || changed[writes] === 1;
  return { stored: sum(changed), held };
}

/**
 * Takes the oldest queued job, or a running one whose lease ran out (its worker died).
 *
 * @example
 * const job = await claimIssuanceJob(ctx, "worker-1");
 */
export async function claimIssuanceJob(
  ctx: ServerContext,
  workerId: string,
): Promise<{ id: string } | null> {
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

/** The counter that hands out a job's signing chunks (removed when the job completes). */
const chunkCounter = (jobId: string) => `issuance-chunk:${jobId}`;
/** Set to 1 by a helper with no chunk left to sign while the holder prepares; 0 once fed. */
const hungryFlag = (jobId: string) => `issuance-hungry:${jobId}`;

const haveSql = (provider: "sqlite" | "postgresql") =>
  provider === "postgresql"
    ? `SELECT "beneficiaryId" FROM "Entitlement" WHERE "cycleId" = $1 AND "beneficiaryId" >= $2 AND "beneficiaryId" <= $3`
    : `SELECT "beneficiaryId" FROM "Entitlement" WHERE "cycleId" = ? AND "beneficiaryId" >= ? AND "beneficiaryId" <= ?`;

/** The next page of eligible beneficiaries after `after`, in id order, with what a credential carries. */
function eligiblePage(
  provider: "sqlite" | "postgresql",
  args: {
    rule: EligibilityRule;
    programmeArea: string | null;
    after: string | null;
    upto?: string;
    limit: number;
    /** Only beneficiaries without an entitlement in this cycle (the final sweep). */
    missingIn?: string;
  },
): [string, unknown[]] {
  const params: unknown[] = [];
  const p = placeholder(provider);
  const param = (v: unknown) => p(params.push(v));
  const where = [ruleToSql(args.rule, args.programmeArea, param)];
  if (args.after) where.push(`b."id" > ${param(args.after)}`);
  if (args.upto) where.push(`b."id" <= ${param(args.upto)}`);
  if (args.missingIn)
    where.push(
      `NOT EXISTS (SELECT 1 FROM "Entitlement" e WHERE e."cycleId" = ${param(args.missingIn)} AND e."beneficiaryId" = b."id")`,
    );
  return [
    `SELECT b."id", b."ref", b."displayName", b."area" FROM "Beneficiary" b ` +
      `WHERE ${where.join(" AND ")} ORDER BY b."id" LIMIT ${param(args.limit)}`,
    params,
  ];
}

/** What a page of the first pass reads of each beneficiary. */
interface BeneficiaryRow {
  id: string;
  ref: string;
  displayName: string | null;
  area: string | null;
}

/**
 * Gives a page of beneficiaries their entitlements already signed: reserves the page's status
 * positions, signs, and inserts the finished rows with the job's progress in one transaction
 * (renewing the lease when `workerId` is given, and publishing the span when `publishSpan`). A
 * beneficiary who has an entitlement in the cycle meanwhile keeps it (the unique key skips the row).
 */
async function fusePage(
  bulk: BulkSql,
  args: {
    jobId: string;
    cycle: CycleWithProgramme;
    key: SigningKey & { did: string };
    publicUrl: string;
    sign: SignEntitlement;
    page: BeneficiaryRow[];
    at: Date;
    workerId?: string;
    cursor?: string;
    publishSpan?: boolean;
  },
): Promise<{ stored: number; held: boolean }> {
  const first = await reservePositions(bulk, args.page.length);
  const rows = args.page.map((b, k) => ({
    id: newEntitlementId(),
    beneficiaryId: b.id,
    statusList: Math.floor((first + k) / STATUS_LIST_SIZE) + 1,
    statusIndex: (first + k) % STATUS_LIST_SIZE,
    beneficiary: b,
  }));
  const jwts = await signPage(rows, args);
  const inserts = insertSignedStatements(bulk.provider, {
    cycleId: args.cycle.id,
    rows: rows.map((r, i) => ({ ...r, credential: jwts[i]! })),
    at: args.at,
  });
  const stored = (changed: number[]) => changed.slice(0, inserts.length).reduce((a, b) => a + b, 0);
  const changed = await bulk.batch([
    ...inserts,
    ...(args.publishSpan
      ? spanStatements(bulk.provider, args.jobId, { first, last: first + rows.length - 1 })
      : []),
    (c) =>
      progressStatement(bulk.provider, {
        jobId: args.jobId,
        workerId: args.workerId,
        add: stored(c),
        at: args.at,
        cursor: args.cursor,
      }),
  ]);
  return { stored: stored(changed), held: !args.workerId || changed[changed.length - 1] === 1 };
}

/**
 * Beneficiary ranges handed to other workers through a queue (PostgreSQL: pg-boss). The job's
 * worker sends a page's bounds instead of signing it while the queue runs short, and waits for the
 * queue to drain before its final sweep.
 */
export interface HandOut {
  /** True when the next page should go to the queue (other workers are short of work). */
  wanted(): Promise<boolean>;
  send(range: { after: string | null; upto: string }): Promise<void>;
  /** True once no handed range is waiting or being worked on. */
  drained(): Promise<boolean>;
}

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
  const rule = EligibilityRule.parse(JSON.parse(job.cycle.rule));
  const key = await ctx.keys.getSigningKey();
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  let stored = 0;
  try {
    for (let after = range.after; ; ) {
      const page = await bulk.query<BeneficiaryRow>(
        ...eligiblePage(bulk.provider, {
          rule,
          programmeArea: job.cycle.programme.area,
          after,
          upto: range.upto,
          limit: PREPARE_BATCH,
          missingIn: job.cycleId,
        }),
      );
      if (page.length === 0) break;
      stored += (
        await fusePage(bulk, {
          jobId: job.id,
          cycle: job.cycle,
          key,
          publicUrl: ctx.env.HAKI_PUBLIC_URL,
          sign,
          page,
          at: ctx.now(),
        })
      ).stored;
      after = page[page.length - 1]!.id;
    }
  } finally {
    await bulk.close();
  }
  return stored;
}

/** Creates the job's chunk counter at 0 unless it exists (a resumed job keeps its count). */
async function createChunkCounter(ctx: ServerContext, jobId: string): Promise<void> {
  const name = chunkCounter(jobId);
  if (await ctx.db.counter.findUnique({ where: { name } })) return;
  await ctx.db.counter.create({ data: { name, value: 0 } }).catch(async (e: unknown) => {
    if (!(await ctx.db.counter.findUnique({ where: { name } }))) throw e;
  });
}

/** The (list, index range) segments of global positions [from, to): a chunk may span two lists. */
function segments(
  from: number,
  to: number,
): { list: number; fromIndex: number; toIndex: number }[] {
  const out: { list: number; fromIndex: number; toIndex: number }[] = [];
  for (let a = from; a < to;) {
    const list = Math.floor(a / STATUS_LIST_SIZE) + 1;
    const end = Math.min(to, list * STATUS_LIST_SIZE);
    out.push({
      list,
      fromIndex: a % STATUS_LIST_SIZE,
      toIndex: end - (list - 1) * STATUS_LIST_SIZE,
    });
    a = end;
  }
  return out;
}

interface SignContext {
  bulk: BulkSql;
  jobId: string;
  cycle: CycleWithProgramme;
  chunk: number;
}

/**
 * Pending rows of one chunk of status positions (null: no chunk left). While the job is still
 * preparing (`span.preparing`), only chunks that end at or before the last prepared position are
 * handed out: positions are reserved and inserted in one transaction, page after page, so every
 * position up to the last one is final (a partly prepared chunk waits for a later round).
 */
async function claimChunk(
  s: SignContext,
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
      rows.push(
        ...(await selectPending(s.bulk, {
          cycleId: s.cycle.id,
          filter: { kind: "positions", ...seg },
          limit: s.chunk,
        })),
      );
    }
    if (rows.length > 0) return rows;
  }
}

/**
 * Runs (or resumes) a claimed job until it is done, the lease is lost, or the signal fires.
 *
 * @example
 * const job = await claimIssuanceJob(ctx, workerId);
 * if (job) await runIssuanceJob(ctx, job.id, { workerId });
 */
export async function runIssuanceJob(
  ctx: ServerContext,
  jobId: string,
  options: RunOptions,
): Promise<RunResult> {
  const { db } = ctx;
  const sign = options.sign ?? signCredential;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let signed = 0;
  const job = await db.issuanceJob.findUniqueOrThrow({
    where: { id: jobId },
    include: { cycle: { include: { programme: true } } },
  });
  if (job.state !== "running" || job.workerId !== options.workerId)
    return { state: "lost-lease", signed, seconds: seconds() };
  const { cycle } = job;
  const rule = EligibilityRule.parse(JSON.parse(cycle.rule));
  const eligible = ruleToWhere(rule, cycle.programme.area);

  // Renews the lease with the progress; false if another worker took the job over.
  const beat = async (
    tx: Tx,
    data: { cursor?: string; done?: number | { increment: number }; total?: number },
  ) => {
    const { count } = await tx.issuanceJob.updateMany({
      where: { id: jobId, workerId: options.workerId, state: "running" },
      data: { ...data, heartbeatAt: ctx.now() },
    });
    return count === 1;
  };

  // 1. prepare: alone, the holder signs each page before it stores it ("fused": one insert of
  // finished rows, no pending row to rewrite later); when a helper says it is out of work, the
  // holder stores the next pages pending for it to sign, and fuses again once it is fed.
  // null: preparation is over ("sign:..."); "": not started; otherwise the last beneficiary id done.
  let cursor: string | null =
    job.cursor === null ? "" : job.cursor.startsWith("prep:") ? job.cursor.slice(5) : null;
  const freshStart = cursor === "";
  const fuse = !options.stopAfterPrepare && options.fuse !== false;
  const key = await ctx.keys.getSigningKey();
  const publicUrl = ctx.env.HAKI_PUBLIC_URL;
  let pendingPages = 0;
  const prep = openBulkSql(ctx.env.DATABASE_URL);
  try {
    if (cursor !== null) {
      // Helpers sign prepared chunks while this worker prepares the rest, so the counter comes first.
      await createChunkCounter(ctx, jobId);
      // Fresh statistics, or the planner may page through beneficiaries by the enrolment index and
      // sort every page (one value, "active", for nearly all rows): quadratic over a million rows.
      await db.$executeRawUnsafe(`ANALYZE "Beneficiary"`);
      const total = await db.beneficiary.count({ where: eligible });
      if (!(await beat(db as unknown as Tx, { total })))
        return { state: "lost-lease", signed, seconds: seconds() };
      let feed = 0; // pages still to store pending for a helper that asked
      for (;;) {
        if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
        const after: string = cursor;
        const page = await prep.query<BeneficiaryRow>(
          ...eligiblePage(prep.provider, {
            rule,
            programmeArea: cycle.programme.area,
            after: after || null,
            limit: options.prepareBatch ?? PREPARE_BATCH,
          }),
        );
        if (page.length === 0) break;
        const last: string = page[page.length - 1]!.id;
        const at = ctx.now();
        const progress = (add: number) =>
          progressStatement(prep.provider, {
            jobId,
            workerId: options.workerId,
            add,
            at,
            cursor: `prep:${last}`,
          });
        let held: boolean;
        if (options.handOut && (await options.handOut.wanted())) {
          // Another worker signs this page: send its bounds, then move the cursor past it (a crash
          // in between sends it twice, which stores it once).
          await options.handOut.send({ after: after || null, upto: last });
          held = (await prep.batch([progress(0)]))[0] === 1;
          if (!held) return { state: "lost-lease", signed, seconds: seconds() };
          cursor = last;
          continue;
        }
        // Only a page redone after a crash has rows already: look them up by range, not by list.
        const have = await prep.query<{ beneficiaryId: string }>(haveSql(prep.provider), [
          cycle.id,
          page[0]!.id,
          last,
        ]);
        const seen = new Set(have.map((h) => h.beneficiaryId));
        const fresh = page.filter((b) => !seen.has(b.id));
        if (fuse && feed === 0 && (await readCounter(prep, hungryFlag(jobId))) === 1)
          feed = FEED_PAGES;
        if (!fuse || feed > 0 || fresh.length === 0) {
          const rows = fresh.map((b) => ({ id: newEntitlementId(), beneficiaryId: b.id }));
          const changed = await prep.batch([
            ...(rows.length
              ? [
                  ...prepareStatements(prep.provider, { cycleId: cycle.id, page: rows, at }),
                  ...spanStatements(prep.provider, jobId, { reserved: rows.length }),
                ]
              : []),
            ...(feed === FEED_PAGES ? [setCounterStatement(prep.provider, hungryFlag(jobId), 0)] : []),
            progress(0),
          ]);
          held = changed[changed.length - 1] === 1;
          if (rows.length) pendingPages++;
          if (feed > 0) feed--;
          if (held) await options.afterPage?.("prepare");
        } else {
          const r = await fusePage(prep, {
            jobId,
            cycle,
            key,
            publicUrl,
            sign,
            page: fresh,
            at,
            workerId: options.workerId,
            cursor: `prep:${last}`,
            publishSpan: true,
          });
          signed += r.stored;
          held = r.held;
          if (held) await options.afterPage?.("sign");
        }
        if (!held) return { state: "lost-lease", signed, seconds: seconds() };
        cursor = last;
      }
      const done = await db.entitlement.count({
        where: { cycleId: cycle.id, status: { not: "pending" } },
      });
      if (!(await beat(db as unknown as Tx, { cursor: "sign:", done })))
        return { state: "lost-lease", signed, seconds: seconds() };
    }
  } finally {
    await prep.close();
  }
  if (options.stopAfterPrepare) return { state: "prepared", signed, seconds: seconds() };

  // 2. sign
  const total = await db.entitlement.count({ where: { cycleId: cycle.id } });
  await createChunkCounter(ctx, jobId); // a job prepared before chunks existed
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  try {
    const s: SignContext = { bulk, jobId, cycle, chunk: options.signBatch ?? SIGN_BATCH };
    const store = async (page: SignRow[]) => {
      const jwts = await signPage(page, { cycle, key, publicUrl, sign });
      const r = await storeSigned(bulk, page, jwts, ctx.now(), {
        jobId,
        workerId: options.workerId,
        cursor: `sign:${page[page.length - 1]!.id}`,
        total,
      });
      signed += r.stored;
      return r.held;
    };
    // A fresh job that fused every page left nothing pending: the sweep below checks in one query.
    const span =
      freshStart && pendingPages === 0
        ? null
        : ((await preparedSpan(bulk, jobId)) ?? (await positionSpan(bulk, cycle.id)));
    // 2a. chunks, shared with helper workers
    while (span) {
      if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
      const page = await claimChunk(s, span);
      if (!page) break;
      if (!(await store(page))) return { state: "lost-lease", signed, seconds: seconds() };
      await options.afterPage?.("sign");
    }
    // 2b. sweep: chunks claimed by a worker that died before storing them
    let lastId: string | null = null;
    for (;;) {
      if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
      const page = await selectPending(bulk, {
        cycleId: cycle.id,
        filter: { kind: "ids", after: lastId },
        limit: s.chunk,
      });
      if (page.length === 0) break;
      lastId = page[page.length - 1]!.id;
      if (!(await store(page))) return { state: "lost-lease", signed, seconds: seconds() };
      await options.afterPage?.("sign");
    }
    if (options.handOut) {
      // 2c. wait for the ranges handed out to be signed (renewing the lease), then give anyone a
      // range lost on the way (a queue job that failed for good) missed: one pass of the
      // beneficiaries without an entitlement in the cycle.
      while (!(await options.handOut.drained())) {
        if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
        if (!(await beat(db as unknown as Tx, {})))
          return { state: "lost-lease", signed, seconds: seconds() };
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let after: string | null = null; ; ) {
        if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
        const page: BeneficiaryRow[] = await bulk.query<BeneficiaryRow>(
          ...eligiblePage(bulk.provider, {
            rule,
            programmeArea: cycle.programme.area,
            after,
            limit: options.prepareBatch ?? PREPARE_BATCH,
            missingIn: cycle.id,
          }),
        );
        if (page.length === 0) break;
        const r = await fusePage(bulk, {
          jobId,
          cycle,
          key,
          publicUrl,
          sign,
          page,
          at: ctx.now(),
          workerId: options.workerId,
        });
        signed += r.stored;
        if (!r.held) return { state: "lost-lease", signed, seconds: seconds() };
        after = page[page.length - 1]!.id;
      }
    }
  } finally {
    await bulk.close();
  }

  const secs = seconds();
  const finished = await db.$transaction(async (tx) => {
    const done = await tx.entitlement.count({
      where: { cycleId: cycle.id, status: { not: "pending" } },
    });
    const { count } = await tx.issuanceJob.updateMany({
      where: { id: jobId, workerId: options.workerId, state: "running" },
      data: {
        state: "completed",
        finishedAt: ctx.now(),
        done,
        // Ranges signed by other workers land after the count at the start of this phase.
        total: Math.max(total, done),
        throughput: secs > 0 ? done / secs : null,
        heartbeatAt: ctx.now(),
      },
    });
    if (count !== 1) return false;
    const { first, last } = spanCounters(jobId);
    await tx.counter.deleteMany({
      where: { name: { in: [chunkCounter(jobId), hungryFlag(jobId), first, last] } },
    });
    await tx.cycle.updateMany({
      where: { id: cycle.id, state: "approved" },
      data: { state: "issued", issuedAt: ctx.now() },
    });
    await appendAuditEvent(tx, ctx.now(), {
      actorId: job.createdBy,
      action: "issuance.complete",
      subject: jobId,
      details: { cycleId: cycle.id, total: done },
    });
    return true;
  });
  return { state: finished ? "completed" : "lost-lease", signed, seconds: secs };
}

/**
 * Helps sign a job another worker holds (SQLite: several processes on one file, no queue): claims
 * signing chunks of a running job until none is left, from the first prepared page on (the
 * holder prepares the rest meanwhile; call again for the chunks prepared since). Returns how many
 * credentials this worker stored (0 when there was nothing to help with).
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
  const sign = options.sign ?? signCredential;
  const key = await ctx.keys.getSigningKey();
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  let signed = 0;
  try {
    const s: SignContext = {
      bulk,
      jobId: job.id,
      cycle: job.cycle,
      chunk: options.signBatch ?? SIGN_BATCH,
    };
    const spanOf = async () =>
      (await preparedSpan(bulk, job.id)) ?? (preparing ? null : await positionSpan(bulk, job.cycleId));
    let preparing = job.cursor?.startsWith("prep:") ?? false;
    let span = await spanOf();
    let idleSince = performance.now();
    while (!options.signal?.aborted) {
      const page = span
        ? await claimChunk(s, { ...span, preparing }).catch(() => null) // the counter goes when the job completes
        : null;
      if (page) {
        const jwts = await signPage(page, {
          cycle: job.cycle,
          key,
          publicUrl: ctx.env.HAKI_PUBLIC_URL,
          sign,
        });
        signed += (await storeSigned(bulk, page, jwts, ctx.now(), { jobId: job.id })).stored;
        idleSince = performance.now();
        continue;
      }
      // No chunk left. While the holder still prepares, ask it for pending pages and wait a little;
      // give up when it has not fed this helper for a while (it is gone, or it has no more pages).
      if (!preparing || performance.now() - idleSince > (options.hungryWaitMs ?? HUNGRY_WAIT_MS)) break;
      await bulk.batch([setCounterStatement(bulk.provider, hungryFlag(job.id), 1)]);
      await new Promise((r) => setTimeout(r, 10));
      const now = await db.issuanceJob.findUnique({
        where: { id: job.id },
        select: { state: true, cursor: true },
      });
      if (now?.state !== "running") break;
      preparing = now.cursor?.startsWith("prep:") ?? false;
      span = await spanOf();
    }
  } finally {
    await bulk.close();
  }
  return signed;
}
