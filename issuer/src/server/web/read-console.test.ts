/** The reads behind the console pages, on the records a real issued cycle leaves. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createTestContext, type TestContext } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { readCycle } from "@/server/cycles/read-cycle";
import { readCycleEntitlements } from "@/server/cycles/read-cycle-entitlements";
import { readAuditLog } from "@/server/audit/read-audit-log";
import { readDashboard } from "@/server/dashboard/read-dashboard";
import { readProgrammes } from "@/server/programmes/read-programmes";
import { readIssuanceJob } from "@/server/issuance/read-issuance-job";
import { bulkChangeStatus } from "@/server/status/bulk-change-status";

describe.each(testProviders())("console reads on %s", (provider) => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  beforeAll(async () => {
    t = await createTestContext(provider);
    fx = await createIssuedCycle(t.ctx, 4);
  }, 60_000);
  afterAll(() => t.close());
  const nameOf = async (id: string) => (await t.ctx.db.user.findUniqueOrThrow({ where: { id } })).name;

  it("reads a cycle with its frozen list, who prepared, submitted and approved it, its entitlements by status and a page of them", async () => {
    const view = await readCycle(t.ctx, fx.cycleId);
    expect(view).toMatchObject({
      qualify: null,
      frozen: { count: 4, kind: "quantity", perPerson: "25", unit: "kg", total: "100" },
      preparedBy: await nameOf(fx.officer.actor.id),
      submittedBy: await nameOf(fx.officer.actor.id),
      approvedBy: await nameOf(fx.approver.actor.id),
      byStatus: [{ status: "issued", count: 4 }],
      entitlements: 4,
      receipts: 0,
      redeemed: 0,
      job: { state: "completed" },
    });
    const page = await readCycleEntitlements(t.ctx, fx.cycleId, {});
    expect(page.rows.map((r) => r.ref).sort()).toEqual([...fx.refs].sort());
    expect(page.next).toBeNull();
    expect(await readCycle(t.ctx, "no-such-cycle")).toBeNull();
    expect(await readIssuanceJob(t.ctx, fx.jobId)).toMatchObject({ state: "completed", done: 4, total: 4, cycleId: fx.cycleId });
    await expect(readIssuanceJob(t.ctx, "nope")).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
  });

  it("reads the audit log with names for actors and a bulk change summed up, and the front page counts", async () => {
    await bulkChangeStatus(t.ctx, { action: "suspend", entitlementIds: fx.entitlements.slice(0, 3).map((e) => e.id), reason: "Under review" }, fx.officer.actor);
    const { check, events } = await readAuditLog(t.ctx);
    expect(check.ok).toBe(true);
    const bulk = events.find((e) => e.bulk);
    expect(bulk).toMatchObject({ actor: await nameOf(fx.officer.actor.id), bulk: { credentials: 3 } });
    expect(events.find((e) => e.action === "issuance.complete")).toMatchObject({ actor: await nameOf(fx.officer.actor.id) });
    expect(events.filter((e) => e.bulk)).toHaveLength(1);
    expect(await readDashboard(t.ctx)).toEqual({ beneficiaries: 4, programmes: 1, cycles: 1, issued: 4 });
    expect(await readProgrammes(t.ctx)).toEqual([expect.objectContaining({ name: "Food basket", cycles: 1 })]);
  });
});
