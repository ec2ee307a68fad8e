/**
 * Bulk issuance of one cycle, resumable at any point:
 *   1. prepare: one entitlement row per eligible beneficiary (unique per cycle and beneficiary),
 *      each with a status list index, page by page in beneficiary id order (cursor "prep:<id>");
 *   2. sign: every pending entitlement is signed and marked issued in the same write.
 * A crash loses at most one page of work, which is redone: nothing is created twice (unique keys)
 * and an entitlement is only ever marked issued once (the update checks it is still pending).
 * A worker holds the job by a lease it renews every page; a stale lease can be taken over.
 */
import type { SigningKey } from "@haki/credentials/keys";
import { signCredential } from "@haki/credentials/sign";
import type { EntitlementInput } from "@haki/credentials/model";
import type { Tx } from "@haki/db";
import type { ServerContext } from "../context";
import { appendAuditEvent } from "../audit/append-audit-event";
import { newId } from "../lib/ids";
import { EligibilityRule, ruleToWhere } from "../programmes/eligibility-rule";
import { STATUS_LIST_SIZE, entitlementInput } from "./entitlement-input";

/** The signing seam: the job does not care how a credential is signed. */
export type SignEntitlement = (input: EntitlementInput, key: SigningKey) => Promise<string>;

export const LEASE_MS = 60_000;
/** Beneficiaries per prepare page: under SQLite's bound-parameter limit (999) for the IN lookup. */
export const PREPARE_BATCH = 500;

export interface RunOptions {
  workerId: string;
  signal?: AbortSignal;
  prepareBatch?: number;
  signBatch?: number;
  sign?: SignEntitlement;
  /** "queue": stop once entitlements are prepared (PostgreSQL workers then share the signing). */
  stopAfterPrepare?: boolean;
  /** Test hook: called after each committed page (to simulate a crash between pages). */
  afterPage?: (phase: "prepare" | "sign") => void | Promise<void>;
}

export type RunResult = { state: "completed" | "prepared" | "lost-lease" | "aborted"; signed: number; seconds: number };

type CycleWithProgramme = Parameters<typeof entitlementInput>[0]["cycle"] & { programme: Parameters<typeof entitlementInput>[0]["programme"] };
type PendingEntitlement = Parameters<typeof entitlementInput>[0]["entitlement"] & { beneficiary: Parameters<typeof entitlementInput>[0]["beneficiary"] };

/** Signs a page of entitlements (in parallel: signing is CPU, the database is not touched). */
export function signPage(
  page: PendingEntitlement[],
  args: { cycle: CycleWithProgramme; key: SigningKey & { did: string }; publicUrl: string; sign: SignEntitlement },
): Promise<string[]> {
  return Promise.all(
    page.map((e) =>
      args.sign(entitlementInput({ entitlement: e, cycle: args.cycle, programme: args.cycle.programme, beneficiary: e.beneficiary }, { did: args.key.did, publicUrl: args.publicUrl }), args.key),
    ),
  );
}

/** Stores signed credentials; only still-pending rows change, so a page redone after a crash (or
 * signed by two workers) is stored once. Returns how many rows changed. */
export async function storeSigned(tx: Tx, page: { id: string }[], jwts: string[], at: Date): Promise<number> {
  let n = 0;
  for (const [i, e] of page.entries()) {
    const { count } = await tx.entitlement.updateMany({ where: { id: e.id, status: "pending" }, data: { status: "issued", credential: jwts[i]!, issuedAt: at } });
    n += count;
  }
  return n;
}

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

async function allocateIndexes(tx: Tx, n: number): Promise<number> {
  const c = await tx.counter.update({ where: { name: "status-index" }, data: { value: { increment: n } } });
  return c.value - n;
}

/**
 * Runs (or resumes) a claimed job until it is done, the lease is lost, or the signal fires.
 *
 * @example
 * const job = await claimIssuanceJob(ctx, workerId);
 * if (job) await runIssuanceJob(ctx, job.id, { workerId });
 */
export async function runIssuanceJob(ctx: ServerContext, jobId: string, options: RunOptions): Promise<RunResult> {
  const { db } = ctx;
  const sign = options.sign ?? signCredential;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let signed = 0;
  const job = await db.issuanceJob.findUniqueOrThrow({ where: { id: jobId }, include: { cycle: { include: { programme: true } } } });
  if (job.state !== "running" || job.workerId !== options.workerId) return { state: "lost-lease", signed, seconds: seconds() };
  const { cycle } = job;
  const eligible = ruleToWhere(EligibilityRule.parse(JSON.parse(cycle.rule)), cycle.programme.area);

  // Renews the lease with the progress; false if another worker took the job over.
  const beat = async (tx: Tx, data: { cursor?: string; done?: number; total?: number }) => {
    const { count } = await tx.issuanceJob.updateMany({ where: { id: jobId, workerId: options.workerId, state: "running" }, data: { ...data, heartbeatAt: ctx.now() } });
    return count === 1;
  };

  // 1. prepare
  // null: preparation is over ("sign:..."); "": not started; otherwise the last beneficiary id done.
  let cursor: string | null = job.cursor === null ? "" : job.cursor.startsWith("prep:") ? job.cursor.slice(5) : null;
  if (cursor !== null) {
    const total = await db.beneficiary.count({ where: eligible });
    if (!(await beat(db as unknown as Tx, { total }))) return { state: "lost-lease", signed, seconds: seconds() };
    for (;;) {
      if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
      const after: string = cursor;
      const page: { id: string }[] = await db.beneficiary.findMany({
        where: { AND: [eligible, ...(after ? [{ id: { gt: after } }] : [])] },
        orderBy: { id: "asc" },
        take: options.prepareBatch ?? PREPARE_BATCH,
        select: { id: true },
      });
      if (page.length === 0) break;
      const last: string = page[page.length - 1]!.id;
      const ok = await db.$transaction(async (tx) => {
        const have = await tx.entitlement.findMany({
          where: { cycleId: cycle.id, beneficiaryId: { in: page.map((b) => b.id) } },
          select: { beneficiaryId: true },
        });
        const seen = new Set(have.map((h) => h.beneficiaryId));
        const fresh = page.filter((b) => !seen.has(b.id));
        if (fresh.length) {
          const first = await allocateIndexes(tx, fresh.length);
          await tx.entitlement.createMany({
            data: fresh.map((b, i) => ({
              id: newId(),
              cycleId: cycle.id,
              beneficiaryId: b.id,
              statusList: Math.floor((first + i) / STATUS_LIST_SIZE) + 1,
              statusIndex: (first + i) % STATUS_LIST_SIZE,
              createdAt: ctx.now(),
            })),
          });
        }
        return beat(tx, { cursor: `prep:${last}` });
      });
      if (!ok) return { state: "lost-lease", signed, seconds: seconds() };
      cursor = last;
      await options.afterPage?.("prepare");
    }
    if (!(await beat(db as unknown as Tx, { cursor: "sign:" }))) return { state: "lost-lease", signed, seconds: seconds() };
  }
  if (options.stopAfterPrepare) return { state: "prepared", signed, seconds: seconds() };

  // 2. sign
  const key = await ctx.keys.getSigningKey();
  const publicUrl = ctx.env.HAKI_PUBLIC_URL;
  const total = await db.entitlement.count({ where: { cycleId: cycle.id } });
  // Counted once, then kept up to date page by page (a count per page would grow with the cycle).
  let done = await db.entitlement.count({ where: { cycleId: cycle.id, status: { not: "pending" } } });
  let lastId: string | null = null;
  for (;;) {
    if (options.signal?.aborted) return { state: "aborted", signed, seconds: seconds() };
    const after: string | null = lastId;
    const page: PendingEntitlement[] = await db.entitlement.findMany({
      where: { cycleId: cycle.id, status: "pending", ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: options.signBatch ?? 200,
      include: { beneficiary: true },
    });
    if (page.length === 0) break;
    const jwts = await signPage(page, { cycle, key, publicUrl, sign });
    const ok = await db.$transaction(async (tx) => {
      const stored = await storeSigned(tx, page, jwts, ctx.now());
      signed += stored;
      done += stored;
      return beat(tx, { cursor: `sign:${page[page.length - 1]!.id}`, done, total });
    });
    lastId = page[page.length - 1]!.id;
    if (!ok) return { state: "lost-lease", signed, seconds: seconds() };
    await options.afterPage?.("sign");
  }

  const secs = seconds();
  const finished = await db.$transaction(async (tx) => {
    const done = await tx.entitlement.count({ where: { cycleId: cycle.id, status: { not: "pending" } } });
    const { count } = await tx.issuanceJob.updateMany({
      where: { id: jobId, workerId: options.workerId, state: "running" },
      data: { state: "completed", finishedAt: ctx.now(), done, total, throughput: secs > 0 ? signed / secs : null, heartbeatAt: ctx.now() },
    });
    if (count !== 1) return false;
    await tx.cycle.updateMany({ where: { id: cycle.id, state: "approved" }, data: { state: "issued", issuedAt: ctx.now() } });
    await appendAuditEvent(tx, ctx.now(), { actorId: job.createdBy, action: "issuance.complete", subject: jobId, details: { cycleId: cycle.id, total: done } });
    return true;
  });
  return { state: finished ? "completed" : "lost-lease", signed, seconds: secs };
}
