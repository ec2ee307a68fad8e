import { beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createTestUser } from "@/test/context";
import type { SessionInfo } from "@/server/auth/sessions";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { bulkChangeStatus } from "@/server/status/bulk-change-status";
import { handleBulkStatusForm, type BulkStatusFormResult } from "./bulk-status-form";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe.each(testProviders())("bulk status form (console) on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 6);
  let officer: SessionInfo;
  beforeAll(async () => {
    officer = { actor: fx.officer.actor, csrfToken: fx.officer.csrf, expiresAt: new Date("2030-01-01"), sessionId: "test", mustChangePassword: false };
  }, 60_000);

  // The fixture's entitlements are in status-list order; each one's beneficiary reference.
  const ref = (i: number) => fx.entitlements[i]!.beneficiary.ref;
  const form = (fields: Record<string, string>, session = officer) => {
    const f = new FormData();
    f.set("csrf", session.csrfToken);
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return f;
  };
  const send = (fields: Record<string, string>, session = officer) => handleBulkStatusForm(t.ctx, session, form(fields, session));
  const statuses = async () => (await t.ctx.db.entitlement.findMany({ orderBy: { statusIndex: "asc" } })).map((e) => e.status);
  const preview = (r: BulkStatusFormResult) => {
    if (r.kind !== "preview") throw new Error(`expected a preview, got ${JSON.stringify(r)}`);
    return r.preview;
  };

  it("refuses a form without the session's CSRF token, changing nothing", async () => {
    const before = await statuses();
    const f = form({ intent: "preview", action: "revoke", refs: ref(0) });
    f.set("csrf", "forged");
    expect(await handleBulkStatusForm(t.ctx, officer, f)).toEqual({ kind: "error", code: "ERR_CSRF" });
    f.delete("csrf");
    expect(await handleBulkStatusForm(t.ctx, officer, f)).toEqual({ kind: "error", code: "ERR_CSRF" });
    expect(await statuses()).toEqual(before);
  });

  it("refuses people without the officer or approver role", async () => {
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    const session = { actor: auditor.actor, csrfToken: auditor.csrf, expiresAt: new Date("2030-01-01"), sessionId: "test", mustChangePassword: false };
    expect(await send({ intent: "preview", action: "suspend", refs: ref(0) }, session)).toEqual({ kind: "error", code: "ERR_FORBIDDEN" });
    expect(await send({ intent: "apply", action: "suspend", refs: ref(0), reasonCode: "review", fingerprint: "0".repeat(64) }, session)).toEqual({
      kind: "error",
      code: "ERR_FORBIDDEN",
    });
  });

  it("names the lines of a list that are not references", async () => {
    const r = await send({ intent: "preview", action: "revoke", refs: `${ref(0)}\nMary Achieng\n${ref(1)}\n` });
    expect(r).toEqual({ kind: "error", code: "ERR_BAD_LIST", invalid: [{ line: 2, value: "Mary Achieng" }] });
    expect(await send({ intent: "preview", action: "revoke", refs: "" })).toEqual({ kind: "error", code: "ERR_NO_SCOPE" });
  });

  it("previews counts, unknown references and credentials already in that state without changing anything", async () => {
    await bulkChangeStatus(t.ctx, { action: "suspend", entitlementIds: [fx.entitlements[1]!.id], reason: "Under review" }, fx.officer.actor);
    const before = await statuses();
    const audit = await t.ctx.db.auditEvent.count();
    const csv = `beneficiary_ref,date_of_review\n${ref(0)},2027-02-10\n${ref(1)},2027-02-10\nHK-NOBODY0001,2027-02-11\n${ref(2)},2027-02-12\n${ref(0)},2027-02-12\n`;
    const r = await send({ intent: "preview", action: "suspend", refs: csv });
    expect(r).toMatchObject({ kind: "preview", duplicates: 1 });
    expect(preview(r)).toMatchObject({
      action: "suspend",
      credentials: 3,
      willChange: 2,
      alreadyInState: 1,
      cannotChange: 0,
      byStatus: { issued: 2, suspended: 1 },
      notFound: ["HK-NOBODY0001"],
      withoutCredential: [],
      scope: "4 references (1 not found)",
    });
    expect(preview(r).fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await statuses()).toEqual(before);
    expect(await t.ctx.db.auditEvent.count()).toBe(audit);
  });

  it("applies the previewed change, leaving out unknown references, with one audit entry", async () => {
    const refs = `${ref(0)}\n${ref(1)}\nHK-NOBODY0001\n${ref(2)}`;
    const p = preview(await send({ intent: "preview", action: "suspend", refs }));
    // The reason must fit the action: "Death" is for revocation.
    expect(await send({ intent: "apply", action: "suspend", refs, reasonCode: "death", fingerprint: p.fingerprint })).toEqual({ kind: "error", code: "ERR_BAD_REQUEST" });
    expect(await send({ intent: "apply", action: "suspend", refs, reasonCode: "other", note: "", fingerprint: p.fingerprint })).toEqual({ kind: "error", code: "ERR_BAD_REQUEST" });
    const r = await send({ intent: "apply", action: "suspend", refs, reasonCode: "review", note: "Area audit February", fingerprint: p.fingerprint });
    expect(r).toMatchObject({ kind: "done", result: { changed: 2, skipped: 1, notFound: ["HK-NOBODY0001"] } });
    if (r.kind !== "done") return;
    expect(r.result.auditSeqs).toHaveLength(1);
    const event = await t.ctx.db.auditEvent.findUniqueOrThrow({ where: { seq: r.result.auditSeqs[0]! } });
    expect(event).toMatchObject({ action: "entitlement.suspend", actorId: fx.officer.actor.id });
    const details = JSON.parse(event.details) as Record<string, unknown>;
    expect(details).toMatchObject({ bulk: true, reason: "Under review — Area audit February", scope: "4 references (1 not found)" });
    expect((details.entitlements as string[]).sort()).toEqual([fx.entitlements[0]!.id, fx.entitlements[2]!.id].sort());
    expect((await statuses()).slice(0, 3)).toEqual(["suspended", "suspended", "suspended"]);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  });

  it("refuses to apply a preview that no longer matches, changing nothing", async () => {
    const refs = `${ref(3)}\n${ref(4)}`;
    const p = preview(await send({ intent: "preview", action: "revoke", refs }));
    expect(p.willChange).toBe(2);
    // Someone suspends one of them in between.
    await bulkChangeStatus(t.ctx, { action: "suspend", entitlementIds: [fx.entitlements[3]!.id], reason: "Under review" }, fx.officer.actor);
    const before = await statuses();
    expect(await send({ intent: "apply", action: "revoke", refs, reasonCode: "death", fingerprint: p.fingerprint })).toEqual({ kind: "error", code: "ERR_CONFLICT" });
    expect(await statuses()).toEqual(before);
  });

  it("takes everyone of a cycle in an area when no list is given", async () => {
    const inArea = [fx.entitlements[4]!, fx.entitlements[5]!];
    await t.ctx.db.beneficiary.updateMany({ where: { id: { in: inArea.map((e) => e.beneficiaryId) } }, data: { area: "KE-001" } });
    const scope = { cycleId: fx.cycleId, area: "KE-001" };
    const p = preview(await send({ intent: "preview", action: "revoke", ...scope }));
    expect(p).toMatchObject({ credentials: 2, willChange: 2, notFound: [], scope: expect.stringMatching(/^cycle .* 2027-03; area KE-001$/) });
    const r = await send({ intent: "apply", action: "revoke", ...scope, reasonCode: "exit", fingerprint: p.fingerprint });
    expect(r).toMatchObject({ kind: "done", result: { changed: 2, skipped: 0 } });
    for (const e of inArea) expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: "revoked", statusReason: "Left the programme" });
    // The same again: nothing left to change, nothing written.
    const again = preview(await send({ intent: "preview", action: "revoke", ...scope }));
    expect(again).toMatchObject({ credentials: 2, willChange: 0, alreadyInState: 2 });
    // A list narrowed to that cycle and area: the others have no credential there.
    const narrowed = preview(await send({ intent: "preview", action: "reinstate", refs: fx.entitlements.map((e) => e.beneficiary.ref).join("\n"), ...scope }));
    expect(narrowed).toMatchObject({ credentials: 2, willChange: 0, cannotChange: 2, withoutCredential: [0, 1, 2, 3].map(ref) });
    expect(await send({ intent: "preview", action: "revoke", cycleId: "00000000-0000-4000-8000-000000000000" })).toEqual({ kind: "error", code: "ERR_NOT_FOUND" });
  });

  it("looks up long lists in chunks (more references than one SQL statement may bind)", async () => {
    const unknown = Array.from({ length: 1_950 }, (_, i) => `HK-LONG${String(i).padStart(6, "0")}`);
    const p = preview(await send({ intent: "preview", action: "suspend", refs: [...unknown, ref(0)].join("\n") }));
    expect(p).toMatchObject({ credentials: 1, alreadyInState: 1, willChange: 0 });
    expect(p.notFound).toHaveLength(1_950);
  });
});
