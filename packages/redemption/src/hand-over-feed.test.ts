import { describe, expect, it } from "vitest";
import { mergeHandOver, refreshHandOvers, type FeedHandOver } from "./hand-over-feed";
import { available } from "./ledger";
import { createMemoryStore } from "./stores";

const KEY = "did:web:issuer.test|cash-transfer|2027-03|B-0001";
const item = (receipt: string, amount: number, over: Partial<FeedHandOver> = {}): FeedHandOver => ({
  receipt: receipt.padEnd(22, "x"),
  entitlement: KEY,
  redemption: "partial",
  amount,
  total: 3000,
  at: 1_800_000_000,
  ...over,
});
const benefit = { type: "Cash", amount: 3000, currency: "KES" } as const;

describe("hand-over feed: merging other devices' hand-overs into this device's books", () => {
  it("a partial entitlement shows what is left after hand-overs elsewhere, each receipt counted once; a single-use one is used up", async () => {
    const b1 = mergeHandOver(undefined, item("r1", 1000))!;
    expect(available({ benefit, redemption: "partial" }, b1)).toBe(2000);
    expect(mergeHandOver(b1, item("r1", 1000))).toBeUndefined();
    const b2 = mergeHandOver(b1, item("r2", 2500))!;
    expect(b2.remaining).toBe(0);
    expect(b2.receipts).toHaveLength(2);
    const single = mergeHandOver(undefined, item("s1", 3000, { redemption: "single" }))!;
    expect(available({ benefit, redemption: "single" }, single)).toBe(0);
  });

  it("pages from the stored cursor, at most maxPages a refresh; a failing page keeps what came before", async () => {
    const store = createMemoryStore();
    const pages = [
      { handOvers: [item("p1", 500)], cursor: "1", more: true },
      { handOvers: [item("p2", 500)], cursor: "2", more: true },
      { handOvers: [item("p3", 500)], cursor: "3", more: false },
    ];
    const asked: (string | undefined)[] = [];
    const post = async (body: { cursor?: string }) => {
      asked.push(body.cursor);
      return pages[asked.length - 1];
    };
    expect(await refreshHandOvers({ store, post, proof: async () => "p", maxPages: 2 })).toEqual({ outcome: "updated", received: 2, more: true });
    expect(asked).toEqual([undefined, "1"]);
    expect((await store.getBalance(KEY))?.remaining).toBe(2000);
    const failing = async () => {
      throw new TypeError("Failed to fetch");
    };
    expect(await refreshHandOvers({ store, post: failing, proof: async () => "p" })).toMatchObject({ outcome: "failed" });
    expect(await store.getHandOverCursor()).toBe("2");
  });
});
