import { describe, expect, it, vi } from "vitest";
import { readThrough, READ_CACHE_INLINE_MS } from "./read-cache";
import { useTestContext } from "@/test/suite";

describe("cached figures", () => {
  const t = useTestContext("sqlite");

  // A figure as slow as a million-row scan: kept, then served stale while it is computed again.
  const slow = (value: number) => async () => {
    await new Promise((r) => setTimeout(r, READ_CACHE_INLINE_MS + 20));
    return value;
  };

  it("computes a quick figure on every read, and keeps a slow one", async () => {
    expect((await readThrough(t.ctx, "quick", async () => 1)).value).toBe(1);
    expect((await readThrough(t.ctx, "quick", async () => 2)).value).toBe(2);
    expect((await readThrough(t.ctx, "slow", slow(1))).value).toBe(1);
    expect((await readThrough(t.ctx, "slow", slow(2))).value).toBe(1);
  });

  it("a change marked stale through another copy of the module (Next bundles actions and pages apart) refreshes the figure", async () => {
    expect((await readThrough(t.ctx, "figure", slow(1))).value).toBe(1);
    vi.resetModules();
    const actionCopy = await import("./read-cache");
    actionCopy.markStale(t.ctx, "figure");
    // Stale while revalidate: this read answers the old value and starts computing the new one.
    expect((await readThrough(t.ctx, "figure", slow(2))).value).toBe(1);
    await new Promise((r) => setTimeout(r, READ_CACHE_INLINE_MS + 100));
    expect((await readThrough(t.ctx, "figure", slow(3))).value).toBe(2);
  });
});
