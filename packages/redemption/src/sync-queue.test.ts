import { describe, expect, it } from "vitest";
import { createMemoryStore } from "./stores";
import {
  backoffDelay,
  createSyncQueue,
  outboxItemFor,
  type ReceiptSubmission,
  type ReceiptSubmissionResult,
} from "./sync-queue";

/** A seeded PRNG so the flaky server fails the same way on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The issuer's receipts endpoint, flaky: fails before storing, or stores and loses the answer. */
function flakyServer(seed: number) {
  const rand = mulberry32(seed);
  const stored = new Map<string, number>();
  let deliveries = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  async function send(batch: ReceiptSubmission): Promise<ReceiptSubmissionResult> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await Promise.resolve();
      const roll = rand();
      if (roll < 0.3) throw new Error("network down");
      const result: ReceiptSubmissionResult = { accepted: [], duplicate: [], rejected: [] };
      for (const r of batch.receipts) {
        deliveries++;
        if (stored.has(r.id)) result.duplicate.push(r.id);
        else {
          stored.set(r.id, 1);
          result.accepted.push(r.id);
        }
      }
      if (roll < 0.5) throw new Error("connection reset after the server stored the batch");
      return result;
    } finally {
      inFlight--;
    }
  }
  return {
    send,
    stored,
    get deliveries() {
      return deliveries;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

describe("backoff", () => {
  it("doubles up to the cap with jitter between half and the full delay", () => {
    const o = { baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect(backoffDelay(1, { ...o, random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { ...o, random: () => 0.999999 })).toBe(1000);
    expect(backoffDelay(4, { ...o, random: () => 1 })).toBe(8000);
    expect(backoffDelay(30, { ...o, random: () => 1 })).toBe(60_000);
  });
});

describe("sync queue", () => {
  it("delivers every receipt to a flaky server, each stored exactly once", async () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const store = createMemoryStore();
      let clock = 1_000_000;
      const server = flakyServer(seed);
      const queue = createSyncQueue({
        store,
        send: server.send,
        now: () => clock,
        random: mulberry32(seed + 7),
        batchSize: 7,
      });
      const ids = Array.from({ length: 50 }, (_, i) => `receipt-${seed}-${i}`);
      for (const id of ids)
        await store.putOutbox(outboxItemFor({ id, entitlement: "e" }, `h.${id}.s`, clock));
      for (let round = 0; round < 200 && (await queue.counts()).pending > 0; round++) {
        await Promise.all([queue.flush(), queue.flush()]);
        clock = ((await queue.nextDue()) ?? clock) + 1;
      }
      expect(await queue.counts()).toEqual({ pending: 0, sent: 50, rejected: 0 });
      expect([...server.stored.keys()].sort()).toEqual([...ids].sort());
      // The server really was flaky and really got some receipts twice; it still stored each once.
      expect(server.deliveries).toBeGreaterThan(50);
      expect(server.maxInFlight).toBe(1);
    }
  });

  it("never sends a receipt again once acknowledged", async () => {
    const store = createMemoryStore();
    const sent: string[] = [];
    const queue = createSyncQueue({
      store,
      now: () => 5,
      send: async (b) => {
        sent.push(...b.receipts.map((r) => r.id));
        return { accepted: b.receipts.map((r) => r.id), duplicate: [], rejected: [] };
      },
    });
    await store.putOutbox(outboxItemFor({ id: "a", entitlement: "e" }, "h.a.s", 1));
    expect(await queue.flush()).toEqual({ sent: 1, rejected: 0, failed: 0, pending: 0 });
    expect(await queue.flush()).toEqual({ sent: 0, rejected: 0, failed: 0, pending: 0 });
    expect(sent).toEqual(["a"]);
  });

  it("waits for the backoff before retrying, and keeps the error for the sync screen", async () => {
    const store = createMemoryStore();
    let clock = 0;
    let calls = 0;
    const queue = createSyncQueue({
      store,
      now: () => clock,
      random: () => 0.5,
      baseDelayMs: 1000,
      send: async () => {
        calls++;
        throw new Error("offline");
      },
    });
    await store.putOutbox(outboxItemFor({ id: "a", entitlement: "e" }, "h.a.s", 0));
    expect(await queue.flush()).toMatchObject({ failed: 1, pending: 1 });
    expect(await queue.nextDue()).toBe(750);
    clock = 700;
    await queue.flush();
    expect(calls).toBe(1);
    clock = 750;
    await queue.flush();
    expect(calls).toBe(2);
    expect(await queue.nextDue()).toBe(750 + 1500);
    expect((await store.listOutbox())[0]).toMatchObject({ attempts: 2, lastError: "offline" });
  });

  it("stops retrying a receipt the issuer refuses for good, and retries one it did not mention", async () => {
    const store = createMemoryStore();
    const queue = createSyncQueue({
      store,
      now: () => 0,
      send: async () => ({
        accepted: [],
        duplicate: [],
        rejected: [{ id: "bad", code: "ERR_RECEIPT_SIGNATURE_INVALID" }],
      }),
    });
    await store.putOutbox(outboxItemFor({ id: "bad", entitlement: "e" }, "h.b.s", 0));
    await store.putOutbox(outboxItemFor({ id: "lost", entitlement: "e" }, "h.l.s", 0));
    expect(await queue.flush()).toEqual({ sent: 0, rejected: 1, failed: 1, pending: 1 });
    expect(await queue.counts()).toEqual({ pending: 1, sent: 0, rejected: 1 });
  });

  it("treats a malformed answer as a failure", async () => {
    const store = createMemoryStore();
    const queue = createSyncQueue({
      store,
      now: () => 0,
      send: async () => ({ ok: true }) as unknown as ReceiptSubmissionResult,
    });
    await store.putOutbox(outboxItemFor({ id: "a", entitlement: "e" }, "h.a.s", 0));
    expect(await queue.flush()).toMatchObject({ failed: 1, pending: 1 });
  });
});
