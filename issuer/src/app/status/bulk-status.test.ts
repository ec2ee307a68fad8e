import { describe, expect, it } from "vitest";
import { listSetStatuses } from "@haki/status-list/bitstring";
import { testProviders } from "@haki/db/testing";
import { createTestUser } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { POST as bulk } from "@/app/api/entitlements/status/bulk/route";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { readStatusList } from "@/test/status-lists";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe.each(testProviders())("bulk status changes on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 6);

  const post = (body: unknown, headers = fx.officer.headers) =>
    callRoute(bulk, { method: "POST", path: "/api/entitlements/status/bulk", headers, body: body as object });
  async function setBits(purpose: "revocation" | "suspension"): Promise<number[]> {
    return listSetStatuses((await readStatusList(t, purpose)).list);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const versions = async () => (await t.ctx.db.statusList.findMany({ orderBy: { id: "asc" } })).map((l) => `${l.id}:${l.version}`).join(",");
  const statuses = async () => (await t.ctx.db.entitlement.findMany({ orderBy: { id: "asc" } })).map((e) => e.status).join(",");

  it("suspends a list of credentials with one list write and sets exactly their bits", async () => {
    const [a, b] = fx.entitlements;
    const before = await setBits("suspension");
    expect(before).toEqual([]);
    const v0 = (await t.ctx.db.statusList.findUniqueOrThrow({ where: { id: "1-suspension" } })).version;
    const res = await post({ action: "suspend", entitlementIds: [a!.id, b!.id, a!.id], reason: "Under review after a complaint" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ changed: 2, skipped: 0, lists: [1] });
    expect(await setBits("suspension")).toEqual(sorted([a!.statusIndex, b!.statusIndex]));
    expect(await setBits("revocation")).toEqual([]);
    expect((await t.ctx.db.statusList.findUniqueOrThrow({ where: { id: "1-suspension" } })).version).toBe(v0 + 1);
  });

  it("revokes every credential of several beneficiaries (one suspended), clearing its suspension bit", async () => {
    const [a, , c, d] = fx.entitlements;
    const res = await post({ action: "revoke", beneficiaryRefs: [a!.beneficiary.ref, c!.beneficiary.ref, d!.beneficiary.ref], reason: "Death notified by CRVS" });
    expect(await res.json()).toEqual({ changed: 3, skipped: 0, lists: [1] });
    expect(await setBits("revocation")).toEqual(sorted([a!.statusIndex, c!.statusIndex, d!.statusIndex]));
    expect(await setBits("suspension")).toEqual([fx.entitlements[1]!.statusIndex]);
    for (const e of [a, c, d]) expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e!.id } })).toMatchObject({ status: "revoked", statusReason: "Death notified by CRVS" });
    const events = await t.ctx.db.auditEvent.findMany({ where: { action: "entitlement.revoke" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details)).toMatchObject({ bulk: true, reason: "Death notified by CRVS", entitlements: expect.arrayContaining([a!.id, c!.id, d!.id]) });
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  });

  it("is idempotent: the same batch again changes nothing, not even a list version", async () => {
    const [a, , c, d] = fx.entitlements;
    const v = await versions();
    const audit = await t.ctx.db.auditEvent.count();
    const res = await post({ action: "revoke", entitlementIds: [a!.id, c!.id, d!.id], reason: "Death notified by CRVS" });
    expect(await res.json()).toEqual({ changed: 0, skipped: 3, lists: [] });
    expect(await versions()).toBe(v);
    expect(await t.ctx.db.auditEvent.count()).toBe(audit);
    // Reinstating skips the revoked one and lifts only the suspension.
    const back = await post({ action: "reinstate", entitlementIds: [a!.id, fx.entitlements[1]!.id], reason: "Review closed" });
    expect(await back.json()).toEqual({ changed: 1, skipped: 1, lists: [1] });
    expect(await setBits("suspension")).toEqual([]);
    expect(await setBits("revocation")).toEqual(sorted([a!.statusIndex, c!.statusIndex, d!.statusIndex]));
  });

  it("refuses unknown ids or references with ERR_NOT_FOUND and changes nothing", async () => {
    const e = fx.entitlements[4]!;
    const v = await versions();
    const s = await statuses();
    const audit = await t.ctx.db.auditEvent.count();
    const unknownId = "00000000-0000-4000-8000-000000000000";
    const res = await post({ action: "revoke", entitlementIds: [e.id, unknownId], reason: "Death notified by CRVS" });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe("ERR_NOT_FOUND");
    expect(((await post({ action: "revoke", entitlementIds: [e.id, unknownId], reason: "Death notified by CRVS" }).then((r) => r.json())) as { error: { details: { unknown: string[] } } }).error.details.unknown).toEqual([unknownId]);
    const refs = await post({ action: "suspend", beneficiaryRefs: [e.beneficiary.ref, "HK-NOSUCHREF0"], reason: "Under review" });
    expect(refs.status).toBe(404);
    expect(await errorCode(refs)).toBe("ERR_NOT_FOUND");
    expect(await versions()).toBe(v);
    expect(await statuses()).toBe(s);
    expect(await t.ctx.db.auditEvent.count()).toBe(audit);
  });

  it("refuses bad input with 400, and callers without the right role", async () => {
    const e = fx.entitlements[5]!;
    for (const body of [
      { action: "revoke", entitlementIds: [e.id] },
      { action: "revoke", entitlementIds: [], reason: "empty list" },
      { action: "revoke", entitlementIds: ["not-a-uuid"], reason: "bad id" },
      { action: "revoke", entitlementIds: [e.id], beneficiaryRefs: [e.beneficiary.ref], reason: "both named" },
      { action: "delete", entitlementIds: [e.id], reason: "because" },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(res)).toBe("ERR_BAD_REQUEST");
    }
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    expect(await errorCode(await post({ action: "revoke", entitlementIds: [e.id], reason: "Testing access" }, auditor.headers))).toBe("ERR_FORBIDDEN");
    expect((await post({ action: "revoke", entitlementIds: [e.id], reason: "Testing access" }, {})).status).toBe(401);
    expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "issued" });
  });
});
