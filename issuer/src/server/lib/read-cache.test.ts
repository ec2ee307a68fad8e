import { describe, expect, it, vi } from "vitest";
import { markStale, readThrough, READ_CACHE_INLINE_MS } from "./read-cache";
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

  it("keeps a quick figure asked to be kept (no count on every page view) until a change marks it stale or it grows old, then computes it within the read", async () => {
    let calls = 0;
    const count = async () => ++calls;
    expect((await readThrough(t.ctx, "kept", count, { keep: true })).value).toBe(1);
    expect((await readThrough(t.ctx, "kept", count, { keep: true })).value).toBe(1);
    markStale(t.ctx, "kept");
    expect((await readThrough(t.ctx, "kept", count, { keep: true })).value).toBe(2);
    expect((await readThrough(t.ctx, "kept", count, { keep: true, maxAgeMs: 60_000 })).value).toBe(2);
    t.clock.advance(61_000);
    expect((await readThrough(t.ctx, "kept", count, { keep: true, maxAgeMs: 60_000 })).value).toBe(3);
  });

  it("never serves a figure computed for another version, not even while computing it again; a read naming none keeps the version", async () => {
    expect((await readThrough(t.ctx, "versioned", slow(1), { version: "approved/job-1/running" })).value).toBe(1);
    expect((await readThrough(t.ctx, "versioned", slow(2), { version: "approved/job-1/running" })).value).toBe(1); // kept: same version
    expect((await readThrough(t.ctx, "versioned", slow(3), { version: "issued/job-1/done" })).value).toBe(3); // computed within the read
    expect((await readThrough(t.ctx, "versioned", slow(4))).value).toBe(3); // another reader (the dashboard), no version
    markStale(t.ctx, "versioned");
    expect((await readThrough(t.ctx, "versioned", slow(5))).value).toBe(3); // stale: served while computed again
    await new Promise((r) => setTimeout(r, READ_CACHE_INLINE_MS + 100));
    expect((await readThrough(t.ctx, "versioned", slow(6), { version: "issued/job-1/done" })).value).toBe(5); // its result kept the version
  });
});
