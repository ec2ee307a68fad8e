/**
 * What the steps of a bulk issuance run share: the tuning constants, the options and result of a
 * run, and `JobRun`, the state one worker carries through the steps of one job.
 */
import type { CycleBinding } from "./cycle-binding";
import type { SigningKey } from "@haki/credentials/keys";
import type { EntitlementInput } from "@haki/credentials/model";
import type { SignCredentialOptions } from "@haki/credentials/sign";
import type { BulkSql } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";
import type { entitlementInput } from "./entitlement-input";
import { IssuanceAbortedError, IssuanceLeaseLostError } from "./errors";

/** A stale lease (no renewal for this long) means the worker died: another may take the job. */
export const LEASE_MS = 60_000;
/** Beneficiaries per prepare page (one multi-row insert each). */
export const PREPARE_BATCH = 2000;
/** Status positions per signing chunk (one read, one multi-row write). */
export const SIGN_BATCH = 1000;
/** Pages the holder stores pending each time a helper runs out of chunks to sign. */
export const FEED_PAGES = 2;
/** How long a helper out of chunks waits for the preparing holder to feed it. */
export const HUNGRY_WAIT_MS = 2000;

/** The signing seam: the job does not care how a credential is signed (`options.format` is the cycle's). */
export type SignEntitlement = (input: EntitlementInput, key: SigningKey, options: SignCredentialOptions) => Promise<string>;

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
  /** Credentials this worker stored. */
  signed: number;
  seconds: number;
};

type InputParts = Parameters<typeof entitlementInput>[0];
export type CycleWithProgramme = InputParts["cycle"] & { programme: InputParts["programme"] };
/** A stored (pending) entitlement with the beneficiary fields a credential carries. */
export type PendingEntitlement = InputParts["entitlement"] & { beneficiary: InputParts["beneficiary"] };

/** What signing a job's credentials needs, whoever signs them (the job's worker or a helper). */
export interface JobSigning {
  jobId: string;
  cycle: CycleWithProgramme;
  key: SigningKey & { did: string };
  publicUrl: string;
  sign: SignEntitlement;
  /** Set for a programme that binds paper cards to national IDs (`cycleBindingOf`). */
  binding?: CycleBinding;
}

/** One worker's run of one job: what the steps read, and what they count. */
export interface JobRun extends JobSigning {
  ctx: ServerContext;
  options: RunOptions;
  bulk: BulkSql;
  /** Who queued the job (the completion's audit event names them). */
  createdBy: string;
  /** The job's cursor when this run started: null (fresh), "prep:<id>" or "sign:<id>". */
  cursor: string | null;
  /** Credentials this worker stored so far. */
  signed: number;
  /** Pages the first pass stored pending (for helpers, or without fusing). */
  pendingPages: number;
  /** Entitlements of the cycle when the signing step began. */
  total: number;
}

/** The counter that hands out a job's signing chunks (removed when the job completes). */
export const chunkCounter = (jobId: string) => `issuance-chunk:${jobId}`;
/** Set to 1 by a helper with no chunk left to sign while the holder prepares; 0 once fed. */
export const hungryFlag = (jobId: string) => `issuance-hungry:${jobId}`;

/** Throws when the run's signal has fired. */
export function checkAborted(run: Pick<JobRun, "options">): void {
  if (run.options.signal?.aborted) throw new IssuanceAbortedError();
}

/** Throws when a write that renewed the lease found another worker holding the job. */
export function holdLease(held: boolean): void {
  if (!held) throw new IssuanceLeaseLostError();
}

/**
 * Renews the lease with the job's progress through Prisma (between the bulk pages).
 *
 * @example
 * await beat(run, { cursor: "sign:", done });
 */
export async function beat(
  run: Pick<JobRun, "ctx" | "jobId" | "options">,
  data: { cursor?: string; done?: number; total?: number },
): Promise<void> {
  const { count } = await run.ctx.db.issuanceJob.updateMany({
    where: { id: run.jobId, workerId: run.options.workerId, state: "running" },
    data: { ...data, heartbeatAt: run.ctx.now() },
  });
  holdLease(count === 1);
}

/**
 * Creates the job's chunk counter at 0 unless it exists (a resumed job keeps its count).
 *
 * @example
 * await createChunkCounter(ctx, jobId);
 */
export async function createChunkCounter(ctx: ServerContext, jobId: string): Promise<void> {
  const name = chunkCounter(jobId);
  if (await ctx.db.counter.findUnique({ where: { name } })) return;
  await ctx.db.counter.create({ data: { name, value: 0 } }).catch(async (e: unknown) => {
    if (!(await ctx.db.counter.findUnique({ where: { name } }))) throw e;
  });
}
