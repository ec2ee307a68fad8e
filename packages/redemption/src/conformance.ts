/**
 * The shared test suite every `LocalStore` implementation runs (memory here, IndexedDB in the
 * verifier app). Import only from tests: it needs vitest.
 */
import { describe, expect, it } from "vitest";
import type { Balance } from "./ledger";
import type { HandOverFeedStore } from "./hand-over-feed";
import { BalanceConflictError, type LocalStore, type OutboxItem } from "./stores";

const balance = (receipts: string[], remaining: number): Balance => ({
  entitlement: "did:web:i|p|c|B-0001",
  redemption: "partial",
  total: 100,
  remaining,
  receipts,
  updatedAt: 1_800_000_000,
});
const item = (id: string, createdAt = 1): OutboxItem => ({
  id,
  jws: `h.${id}.s`,
  entitlement: "did:web:i|p|c|B-0001",
  createdAt,
  attempts: 0,
  nextAttemptAt: createdAt,
  state: "pending",
});

/** The first hand-over of the test entitlement (nothing read before it): 60 left, receipt `id` queued. */
const firstRedemption = (id: string) => ({ balance: balance([id], 60), previous: undefined, item: item(id) });

/**
 * Runs the LocalStore conformance suite.
 *
 * @example
 * describeLocalStore("memory", async () => createMemoryStore());
 */
export function describeLocalStore(name: string, makeStore: () => Promise<LocalStore & HandOverFeedStore>): void {
  describe(`LocalStore conformance: ${name}`, () => {
    it("records a presentation id once and reports the replay", async () => {
      const s = await makeStore();
      expect(await s.hasSeen("p1")).toBe(false);
      expect(await s.markSeen("p1", 1000)).toBe(true);
      expect(await s.hasSeen("p1")).toBe(true);
      expect(await s.markSeen("p1", 1000)).toBe(false);
    });

    it("forgets ids after they expire", async () => {
      const s = await makeStore();
      await s.markSeen("old", 1000);
      await s.markSeen("new", 3000);
      await s.prune(2000);
      expect(await s.hasSeen("old")).toBe(false);
      expect(await s.hasSeen("new")).toBe(true);
    });

    it("commits a balance and its receipt together", async () => {
      const s = await makeStore();
      expect(await s.getBalance("did:web:i|p|c|B-0001")).toBeUndefined();
      await s.commitRedemption(firstRedemption("r1"));
      expect(await s.getBalance("did:web:i|p|c|B-0001")).toMatchObject({
        remaining: 60,
        receipts: ["r1"],
      });
      expect((await s.listOutbox()).map((i) => i.id)).toEqual(["r1"]);
    });

    it("refuses a commit when the balance moved since it was read", async () => {
      const s = await makeStore();
      await s.commitRedemption(firstRedemption("r1"));
      await expect(s.commitRedemption(firstRedemption("r2"))).rejects.toBeInstanceOf(BalanceConflictError);
      expect((await s.listOutbox()).map((i) => i.id)).toEqual(["r1"]);
      expect(await s.getBalance("did:web:i|p|c|B-0001")).toMatchObject({ remaining: 60 });
    });

    it("updates outbox items in place and lists them oldest first", async () => {
      const s = await makeStore();
      await s.putOutbox(item("b", 2));
      await s.putOutbox(item("a", 1));
      await s.putOutbox({ ...item("b", 2), state: "sent", sentAt: 5, attempts: 1 });
      const all = await s.listOutbox();
      expect(all.map((i) => [i.id, i.state])).toEqual([
        ["a", "pending"],
        ["b", "sent"],
      ]);
    });

    it("returns copies, not live objects", async () => {
      const s = await makeStore();
      await s.commitRedemption(firstRedemption("r1"));
      const b = await s.getBalance("did:web:i|p|c|B-0001");
      b?.receipts.push("tampered");
      expect((await s.getBalance("did:web:i|p|c|B-0001"))?.receipts).toEqual(["r1"]);
    });
  
    it("merges other devices' hand-overs once, with the cursor, and a local hand-over after them sees them", async () => {
      const s = await makeStore();
      expect(await s.getHandOverCursor()).toBeUndefined();
      const h = { receipt: "f".repeat(22), entitlement: "did:web:i|p|c|B-0001", redemption: "partial" as const, amount: 30, total: 100, at: 1_800_000_000 };
      const cursor = "1800000000000";
      await s.mergeHandOvers([h, h], cursor);
      expect(await s.getHandOverCursor()).toBe(cursor);
      expect(await s.getBalance(h.entitlement)).toMatchObject({ remaining: 70, receipts: [h.receipt] });
      // A hand-over planned before the merge is refused: the books moved under it.
      await expect(s.commitRedemption(firstRedemption("r1"))).rejects.toBeInstanceOf(BalanceConflictError);
    });
  });
}
