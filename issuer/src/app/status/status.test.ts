import { describe, expect, it, vi } from "vitest";
import { getStatus } from "@haki/status-list/bitstring";
import { testProviders } from "@haki/db/testing";
import { createTestUser } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { GET as statusList } from "./[list]/[purpose]/route";
import { POST as changeStatus } from "@/app/api/entitlements/status/route";
import { GET as job } from "@/app/api/jobs/[id]/route";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { STATUS_CACHE_RECHECK_MS } from "@/server/status/status-lists";
import { readStatusList } from "@/test/status-lists";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe.each(testProviders())("status lists and status changes on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 3);

  async function fetchList(purpose: "revocation" | "suspension", headers: Record<string, string> = {}) {
    return callRoute(statusList, { path: `/status/1/${purpose}`, params: { list: "1", purpose }, headers });
  }
  async function readBit(purpose: "revocation" | "suspension", index: number) {
    const { list, etag } = await readStatusList(t, purpose);
    return { bit: getStatus(list, index), etag };
  }
  const post = (body: unknown, headers = fx.officer.headers) => callRoute(changeStatus, { method: "POST", path: "/api/entitlements/status", headers, body: body as object });

  it("serves signed, cacheable status lists with every bit clear after issuance", async () => {
    const res = await fetchList("revocation");
    expect(res.headers.get("content-type")).toBe("application/vc+jwt");
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    const first = await readBit("revocation", fx.entitlements[0]!.statusIndex);
    expect(first.bit).toBe(false);
    const again = await fetchList("revocation", { "if-none-match": first.etag });
    expect(again.status).toBe(304);
  });

  it("serves the signed list from memory, noticing another instance's change within the recheck interval", async () => {
    const first = await readBit("revocation", fx.entitlements[0]!.statusIndex);
    // Another issuer instance bumps the list (no cache drop in this process).
    await t.ctx.db.statusList.update({ where: { id: "1-revocation" }, data: { version: { increment: 1 } } });
    const soon = await fetchList("revocation", { "if-none-match": first.etag });
    expect(soon.status).toBe(304);
    await new Promise((r) => setTimeout(r, STATUS_CACHE_RECHECK_MS + 100));
    const later = await readBit("revocation", fx.entitlements[0]!.statusIndex);
    expect(later.etag).not.toBe(first.etag);
    expect(later.bit).toBe(false);
  });

  it("a change made through another copy of the module (Next bundles console actions and routes apart) is served at once", async () => {
    const index = fx.entitlements[1]!.statusIndex;
    expect((await readBit("suspension", index)).bit).toBe(false);
    vi.resetModules();
    const actionCopy = await import("@/server/status/status-lists");
    await t.ctx.db.$transaction((tx) => actionCopy.writeStatusBit(tx, 1, index, "suspension", true));
    actionCopy.forgetStatusListCredentials(t.ctx);
    // Well inside the recheck interval: only a dropped cache shows the change now.
    expect((await readBit("suspension", index)).bit).toBe(true);
    await t.ctx.db.$transaction((tx) => actionCopy.writeStatusBit(tx, 1, index, "suspension", false));
    actionCopy.forgetStatusListCredentials(t.ctx);
    expect((await readBit("suspension", index)).bit).toBe(false);
  });

  it("answers 404 for a list that does not exist and 400 for a bad purpose or number", async () => {
    const missing = await callRoute(statusList, { params: { list: "2", purpose: "revocation" } });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("ERR_NOT_FOUND");
    const purpose = await callRoute(statusList, { params: { list: "1", purpose: "deletion" } });
    expect(purpose.status).toBe(400);
    expect(await errorCode(purpose)).toBe("ERR_BAD_REQUEST");
    expect((await callRoute(statusList, { params: { list: "0", purpose: "revocation" } })).status).toBe(400);
    expect((await callRoute(statusList, { params: { list: "x", purpose: "revocation" } })).status).toBe(400);
  });

  it("suspends and reinstates one credential, re-signing the list each time", async () => {
    const e = fx.entitlements[1]!;
    const before = await readBit("suspension", e.statusIndex);
    const res = await post({ action: "suspend", entitlementId: e.id, reason: "Under review after a complaint" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ changed: 1 });
    const after = await readBit("suspension", e.statusIndex);
    expect(after.bit).toBe(true);
    expect(after.etag).not.toBe(before.etag);
    expect((await readBit("suspension", fx.entitlements[0]!.statusIndex)).bit).toBe(false);

    expect((await post({ action: "reinstate", entitlementId: e.id, reason: "Review closed" })).status).toBe(200);
    expect((await readBit("suspension", e.statusIndex)).bit).toBe(false);
    expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "issued", statusReason: "Review closed" });
  });

  it("revokes every credential of a beneficiary; a revoked one cannot be reinstated", async () => {
    const e = fx.entitlements[2]!;
    const res = await post({ action: "revoke", beneficiaryRef: e.beneficiary.ref, reason: "Death notified by the civil registry" });
    expect(await res.json()).toEqual({ changed: 1 });
    expect((await readBit("revocation", e.statusIndex)).bit).toBe(true);
    const again = await post({ action: "reinstate", entitlementId: e.id, reason: "Mistake" });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("ERR_INVALID_STATE");
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
    expect(await t.ctx.db.auditEvent.count({ where: { action: "entitlement.revoke" } })).toBe(1);
  });

  it("refuses bad input with 400 and a code, changing nothing", async () => {
    const e = fx.entitlements[0]!;
    const version = async () => (await t.ctx.db.statusList.findMany()).map((l) => l.version).join(",");
    const v = await version();
    for (const body of [
      { action: "revoke", entitlementId: e.id },
      { action: "revoke", entitlementId: e.id, reason: "x" },
      { action: "delete", entitlementId: e.id, reason: "because" },
      { action: "revoke", entitlementId: e.id, beneficiaryRef: e.beneficiary.ref, reason: "both named" },
      { action: "revoke", reason: "nobody named" },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(res)).toBe("ERR_BAD_REQUEST");
    }
    const notJson = await callRoute(changeStatus, { method: "POST", headers: { ...fx.officer.headers, "content-type": "application/json" }, body: "{not json" });
    expect(notJson.status).toBe(400);
    expect(await version()).toBe(v);
    expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "issued" });
  });

  it("refuses unauthenticated, forged and unauthorised calls", async () => {
    const e = fx.entitlements[0]!;
    const body = { action: "revoke", entitlementId: e.id, reason: "Testing access" };
    expect((await post(body, {})).status).toBe(401);
    expect(await errorCode(await post(body, { cookie: fx.officer.cookie }))).toBe("ERR_CSRF");
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    const res = await post(body, auditor.headers);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("ERR_FORBIDDEN");
    expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "issued" });
  });

  it("GET /api/jobs/:id shows the job's progress and throughput", async () => {
    const res = await callRoute(job, { params: { id: fx.jobId }, headers: fx.officer.headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: "completed", done: 3, total: 3, throughput: expect.any(Number) });
    expect((await callRoute(job, { params: { id: fx.jobId } })).status).toBe(401);
    expect((await callRoute(job, { params: { id: "nope" }, headers: fx.officer.headers })).status).toBe(404);
  });
});
