/**
 * The receipts outbox: signed receipts wait on the device until the issuer acknowledges them.
 *
 * Delivery: each flush sends due receipts in batches; an acknowledged receipt ("accepted" or
 * "duplicate") is marked sent and never sent again; a failed batch is retried later with
 * exponential backoff and jitter, so a hundred devices coming back online do not all hit the
 * issuer at once. A receipt may reach the issuer more than once (an acknowledgement lost on the
 * way back), so the issuer keys receipts by id and records each at most once: together that gives
 * exactly-once in effect. Flushes never overlap.
 */
import * as z from "zod";
import type { OutboxItem, OutboxStore } from "./stores";

/** `POST {issuer}/api/verifier/receipts` body. */
export const ReceiptSubmission = z.object({
  receipts: z
    .array(z.object({ id: z.string().min(1).max(64), jws: z.string().min(1).max(20000) }))
    .min(1)
    .max(100),
});
export type ReceiptSubmission = z.infer<typeof ReceiptSubmission>;

/** The issuer's answer: which ids it stored now, which it had already, which it refuses for good. */
export const ReceiptSubmissionResult = z.object({
  accepted: z.array(z.string()),
  duplicate: z.array(z.string()),
  rejected: z.array(z.object({ id: z.string(), code: z.string() })),
});
export type ReceiptSubmissionResult = z.infer<typeof ReceiptSubmissionResult>;

export interface SyncQueueOptions {
  store: OutboxStore;
  /** Sends one batch; throws (or rejects) when the network or the server failed. */
  send: (batch: ReceiptSubmission) => Promise<ReceiptSubmissionResult>;
  /** Milliseconds since epoch. */
  now: () => number;
  /** Uniform in [0, 1); injectable so tests are repeatable. */
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
}

export interface FlushReport {
  sent: number;
  rejected: number;
  failed: number;
  /** Still waiting (including those not due yet). */
  pending: number;
}

export interface SyncQueue {
  /** Sends every due receipt once; resolves with what happened. Overlapping calls share one run. */
  flush(): Promise<FlushReport>;
  /** Counts by state, for the sync screen. */
  counts(): Promise<{ pending: number; sent: number; rejected: number }>;
  /** When the next pending receipt is due (ms), or undefined when none waits. */
  nextDue(): Promise<number | undefined>;
}

/**
 * Backoff before attempt `attempts + 1`: base * 2^(attempts-1), capped, with "equal jitter"
 * (half fixed, half random) so retries spread out but never come back at once.
 *
 * @example
 * backoffDelay(3, { baseDelayMs: 2000, maxDelayMs: 900000, random: () => 0.5 }); // 6000
 */
export function backoffDelay(
  attempts: number,
  o: { baseDelayMs: number; maxDelayMs: number; random: () => number },
): number {
  const exp = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + (exp / 2) * o.random());
}

/**
 * Creates the outbox sender.
 *
 * @example
 * const queue = createSyncQueue({ store, now: Date.now, send: (b) => postJson(url, b) });
 * window.addEventListener("online", () => void queue.flush());
 */
export function createSyncQueue(options: SyncQueueOptions): SyncQueue {
  const { store, send, now } = options;
  const random = options.random ?? Math.random;
  const baseDelayMs = options.baseDelayMs ?? 2_000;
  const maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
  const batchSize = options.batchSize ?? 20;
  let running: Promise<FlushReport> | undefined;

  async function run(): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, rejected: 0, failed: 0, pending: 0 };
    const all = await store.listOutbox();
    const due = all.filter((i) => i.state === "pending" && i.nextAttemptAt <= now());
    for (let k = 0; k < due.length; k += batchSize) {
      const batch = due.slice(k, k + batchSize);
      let result: ReceiptSubmissionResult;
      try {
        result = ReceiptSubmissionResult.parse(
          await send({ receipts: batch.map((i) => ({ id: i.id, jws: i.jws })) }),
        );
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        for (const item of batch) {
          const attempts = item.attempts + 1;
          await store.putOutbox({
            ...item,
            attempts,
            nextAttemptAt: now() + backoffDelay(attempts, { baseDelayMs, maxDelayMs, random }),
            lastError: message.slice(0, 500),
          });
        }
        report.failed += batch.length;
        // The issuer is unreachable or failing: the rest would fail too; try again later.
        break;
      }
      const ok = new Set([...result.accepted, ...result.duplicate]);
      const refused = new Map(result.rejected.map((r) => [r.id, r.code]));
      for (const item of batch) {
        if (ok.has(item.id)) {
          await store.putOutbox({
            ...item,
            attempts: item.attempts + 1,
            state: "sent",
            sentAt: now(),
            lastError: undefined,
          });
          report.sent++;
        } else if (refused.has(item.id)) {
          await store.putOutbox({
            ...item,
            attempts: item.attempts + 1,
            state: "rejected",
            lastError: refused.get(item.id),
          });
          report.rejected++;
        } else {
          // Not mentioned in the answer: treat as not delivered and retry later.
          const attempts = item.attempts + 1;
          await store.putOutbox({
            ...item,
            attempts,
            nextAttemptAt: now() + backoffDelay(attempts, { baseDelayMs, maxDelayMs, random }),
            lastError: "no acknowledgement",
          });
          report.failed++;
        }
      }
    }
    report.pending = (await store.listOutbox()).filter((i) => i.state === "pending").length;
    return report;
  }

  return {
    flush() {
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
    async counts() {
      const all = await store.listOutbox();
      return {
        pending: all.filter((i) => i.state === "pending").length,
        sent: all.filter((i) => i.state === "sent").length,
        rejected: all.filter((i) => i.state === "rejected").length,
      };
    },
    async nextDue() {
      const pending = (await store.listOutbox()).filter((i) => i.state === "pending");
      return pending.length ? Math.min(...pending.map((i) => i.nextAttemptAt)) : undefined;
    },
  };
}

/**
 * A new outbox entry for a freshly signed receipt, due at once.
 *
 * @example
 * await store.commitRedemption({ balance, previous, item: outboxItemFor(receipt, jws, Date.now()) });
 */
export function outboxItemFor(
  receipt: { id: string; entitlement: string },
  jws: string,
  nowMs: number,
): OutboxItem {
  return {
    id: receipt.id,
    jws,
    entitlement: receipt.entitlement,
    createdAt: nowMs,
    attempts: 0,
    nextAttemptAt: nowMs,
    state: "pending",
  };
}
