/**
 * The rate limiter's counts on the direct driver connection: many addresses in one write (one
 * statement for all of them), totals read back from every instance's writes, past windows pruned.
 */
import { describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { deliverySql } from "@/server/delivery/delivery-sql";
import { useTestContext } from "@/test/suite";
import { createRateLimiter } from "./rate-limit";

describe.each(testProviders())("rate-limit counts on the direct driver on %s", (provider) => {
  const t = useTestContext(provider);

  it("writes the counts of many addresses in one flush, and a second limiter adds to the same rows", async () => {
    t.clock.now = new Date("2027-03-05T10:00:10Z");
    const a = createRateLimiter(deliverySql(t.ctx), { limit: 3, windowMs: 60_000, now: () => t.clock.now });
    const b = createRateLimiter(deliverySql(t.ctx), { limit: 3, windowMs: 60_000, now: () => t.clock.now });
    const addresses = Array.from({ length: 700 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    for (const address of addresses) for (let i = 0; i < 2; i++) expect(a.check("test", address).ok).toBe(true);
    await a.flush();
    const rows = await t.ctx.db.rateLimitWindow.findMany({ where: { key: { startsWith: "test|" } } });
    expect(rows).toHaveLength(700);
    expect(rows.every((r) => r.count === 2 && r.windowEndsAt.toISOString() === "2027-03-05T10:01:00.000Z")).toBe(true);
    // b counted nothing yet: its first write reads back the shared total, then it refuses.
    expect(b.check("test", addresses[699]!).ok).toBe(true);
    await b.flush();
    expect(b.check("test", addresses[699]!)).toMatchObject({ ok: false, retryAfterSeconds: 50 });
    expect(await t.ctx.db.rateLimitWindow.findUnique({ where: { key: `test|${addresses[699]}|${Date.parse("2027-03-05T10:00:00Z") / 1000}` } })).toMatchObject({ count: 3 });
  });

  it("deletes the rows of windows that have ended, and keeps the live ones", async () => {
    t.clock.now = new Date("2027-03-05T11:00:10Z");
    const limiter = createRateLimiter(deliverySql(t.ctx), { limit: 5, windowMs: 60_000, now: () => t.clock.now });
    limiter.check("prune", "192.0.2.1");
    await limiter.flush(); // its first write prunes the windows ended before 11:00:10
    expect(await t.ctx.db.rateLimitWindow.count({ where: { key: { startsWith: "test|" } } })).toBe(0);
    expect(await t.ctx.db.rateLimitWindow.count({ where: { key: { startsWith: "prune|" } } })).toBe(1);
  });
});
