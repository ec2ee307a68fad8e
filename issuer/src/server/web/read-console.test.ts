/** The reads behind the console pages, on the records a real issued cycle leaves. */
import { describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { readCycle } from "@/server/cycles/read-cycle";
import { readCycleEntitlements } from "@/server/cycles/read-cycle-entitlements";
import { auditPages, readAuditActions, readAuditLog } from "@/server/audit/read-audit-log";
import { readDashboard, readDashboardWork } from "@/server/dashboard/read-dashboard";
import { readApprovals } from "@/server/cycles/read-approvals";
import { createCycle } from "@/server/cycles/create-cycle";
import { returnCycle, submitCycle } from "@/server/cycles/transition-cycle";
import { changeStatus } from "@/server/status/change-status";
import { readRegistryAreas } from "@/server/areas/read-registry-areas";
import { readProgrammes } from "@/server/programmes/read-programmes";
import { readIssuanceJob } from "@/server/issuance/read-issuance-job";
import { bulkChangeStatus } from "@/server/status/bulk-change-status";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe.each(testProviders())("console reads on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 4);
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

  it("reads the audit log with names for actors, subjects as people read them and a bulk change summed up", async () => {
    await bulkChangeStatus(t.ctx, { action: "suspend", entitlementIds: fx.entitlements.slice(0, 3).map((e) => e.id), reason: "Under review" }, fx.officer.actor);
    const { check, events } = await readAuditLog(t.ctx);
    expect(check.ok).toBe(true);
    const bulk = events.find((e) => e.bulk);
    expect(bulk).toMatchObject({ actor: await nameOf(fx.officer.actor.id), bulk: { credentials: 3 } });
    expect(events.find((e) => e.action === "issuance.complete")).toMatchObject({ actor: await nameOf(fx.officer.actor.id) });
    expect(events.filter((e) => e.bulk)).toHaveLength(1);
    expect(events.find((e) => e.action === "cycle.approve")).toMatchObject({ subjectLabel: "Food basket · 2027-03", subjectHref: `/cycles/${fx.cycleId}` });
    expect(await readProgrammes(t.ctx)).toEqual([expect.objectContaining({ name: "Food basket", cycles: 1 })]);
  });

  it("filters the audit log by actor, action, subject (a beneficiary's reference stands for everything of theirs) and date, page by page", async () => {
    const e = fx.entitlements[3]!;
    await changeStatus(t.ctx, { action: "revoke", entitlementId: e.id, reason: "Death notified by CRVS" }, fx.approver.actor);
    const byPerson = await readAuditLog(t.ctx, { subject: e.beneficiary.ref.toLowerCase() });
    expect(byPerson.events.map((x) => x.action)).toEqual(["entitlement.revoke"]);
    expect(byPerson.events[0]).toMatchObject({ subjectLabel: `${e.beneficiary.ref} · ${(await t.ctx.db.programme.findFirstOrThrow()).code} 2027-03`, subjectHref: `/beneficiaries/${e.beneficiary.ref}` });
    expect((await readAuditLog(t.ctx, { actor: fx.approver.actor.id })).events.map((x) => x.action)).toEqual(["entitlement.revoke", "cycle.approve"]);
    expect((await readAuditLog(t.ctx, { action: "cycle." })).events.map((x) => x.action)).toEqual(["cycle.approve", "cycle.submit", "cycle.prepare"]);
    expect((await readAuditLog(t.ctx, { action: "cycle.submit" })).events).toHaveLength(1);
    expect((await readAuditLog(t.ctx, { from: "2030-01-01" })).events).toHaveLength(0);
    const today = t.ctx.now().toISOString().slice(0, 10);
    expect((await readAuditLog(t.ctx, { from: today, to: today, action: "cycle." })).events).toHaveLength(3);
    const first = await readAuditLog(t.ctx, { action: "cycle." }, { take: 2 });
    expect(first.next).not.toBeNull();
    const rest = await readAuditLog(t.ctx, { action: "cycle.", before: first.next! }, { take: 2 });
    expect([...first.events, ...rest.events].map((x) => x.action)).toEqual(["cycle.approve", "cycle.submit", "cycle.prepare"]);
    expect(rest.next).toBeNull();
    const exported: string[] = [];
    for await (const rows of auditPages(t.ctx, { action: "cycle." })) exported.push(...rows.map((r) => r.action));
    expect(exported).toEqual(["cycle.approve", "cycle.submit", "cycle.prepare"]);
    expect(await readAuditActions(t.ctx)).toEqual(expect.arrayContaining(["cycle.approve", "entitlement.revoke", "issuance.complete"]));
  });

  it("reads the dashboard: issued, delivered and redeemed by cycle, area and day, and the work waiting", async () => {
    const { figures, work } = await readDashboard(t.ctx, { quietDays: 7 });
    expect(figures).toMatchObject({ beneficiaries: 4, programmes: 1 });
    expect(figures.cycles).toEqual([expect.objectContaining({ cycleId: fx.cycleId, kind: "quantity", unit: "kg", issued: 4, delivered: 0, redeemed: 0, valueIssued: "100", valueRedeemed: "0" })]);
    expect(figures.byArea).toEqual([{ area: "KE-047", issued: 4, redeemed: 0 }]);
    expect(figures.overTime).toHaveLength(30);
    expect(figures.overTime.reduce((a, d) => a + d.issued, 0)).toBe(4);
    expect(work).toEqual({ pendingApprovals: 0, openGrievances: 0, openDoubleRedemptions: 0, quietDevices: [], quietDays: 7 });
  });

  it("lists the approvers' inbox: submitted cycles with their frozen totals, and whether this approver may approve", async () => {
    const { id } = await createCycle(t.ctx, { programmeId: fx.programmeId, code: "2027-04", validFrom: "2027-04-01", validUntil: "2027-05-01", quantity: "20", rule: { all: [] } }, fx.officer.actor);
    await submitCycle(t.ctx, id, fx.officer.actor);
    const inbox = await readApprovals(t.ctx, fx.approver.actor);
    expect(inbox.waiting).toEqual([expect.objectContaining({ id, code: "2027-04", programme: "Food basket", mayApprove: true, totals: expect.objectContaining({ count: 4, total: "80", unit: "kg" }) })]);
    expect((await readApprovals(t.ctx, fx.officer.actor)).waiting[0]).toMatchObject({ mayApprove: false });
    expect((await readDashboardWork(t.ctx)).pendingApprovals).toBe(1);
    await returnCycle(t.ctx, { cycleId: id, comment: "Use 25 kg like last month" }, fx.approver.actor);
    expect(await readApprovals(t.ctx, fx.officer.actor)).toMatchObject({ waiting: [], returned: [expect.objectContaining({ id, comment: "Use 25 kg like last month" })] });
    expect(await readRegistryAreas(t.ctx)).toEqual([{ code: "KE-047", people: 4 }]);
  });
});
