import { describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { readBeneficiaryProfile } from "@/server/beneficiaries/read-profile";
import { recordGrievance, resolveGrievance } from "./record-grievance";
import { readGrievances } from "./read-grievances";
import { useConsoleWorld, useTestContext } from "@/test/suite";

describe.each(testProviders())("grievances on %s", (provider) => {
  const t = useTestContext(provider);
  const w = useConsoleWorld(t);

  it("records a complaint about a person or one of their entitlements, lists and filters them, resolves with a note, who and when", async () => {
    const amina = w.byName("Amina Wanjirũ");
    const juma = w.byName("Juma Mwangi");
    const { id } = await recordGrievance(
      t.ctx,
      { beneficiaryRef: amina.ref.toLowerCase(), entitlementId: amina.entitlement.id, kind: "complaint", category: "amount", text: "Received 2,000 instead of 2,500" },
      w.officer.actor,
    );
    t.clock.advance(60_000);
    await recordGrievance(t.ctx, { beneficiaryRef: juma.ref, kind: "appeal", category: "not-listed", text: "My household was left out of the list" }, w.approver.actor);
    // Refused: someone else's entitlement, an unknown person, no text, an auditor.
    await expect(recordGrievance(t.ctx, { beneficiaryRef: juma.ref, entitlementId: amina.entitlement.id, kind: "complaint", category: "amount", text: "wrong person" }, w.officer.actor)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    await expect(recordGrievance(t.ctx, { beneficiaryRef: "HK-NOBODY0000", kind: "complaint", category: "amount", text: "nobody here" }, w.officer.actor)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    await expect(recordGrievance(t.ctx, { beneficiaryRef: juma.ref, kind: "complaint", category: "amount", text: "" }, w.officer.actor)).rejects.toMatchObject({ name: "ZodError" });
    await expect(recordGrievance(t.ctx, { beneficiaryRef: juma.ref, kind: "complaint", category: "amount", text: "an auditor" }, w.auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });

    const all = await readGrievances(t.ctx, {});
    expect(all.rows.map((g) => g.category)).toEqual(["not-listed", "amount"]);
    expect((await readGrievances(t.ctx, { category: "amount" })).rows).toEqual([
      expect.objectContaining({ id, status: "open", beneficiary: expect.objectContaining({ ref: amina.ref }), entitlement: expect.objectContaining({ id: amina.entitlement.id }) }),
    ]);
    expect((await readGrievances(t.ctx, { kind: "appeal", status: "open" })).rows).toHaveLength(1);
    expect((await readGrievances(t.ctx, { ref: juma.ref })).rows).toHaveLength(1);
    const first = await readGrievances(t.ctx, {}, { pageSize: 1 });
    const second = await readGrievances(t.ctx, { after: first.next! }, { pageSize: 1 });
    expect([first.rows[0]!.id, second.rows[0]!.id]).not.toContain(undefined);
    expect(second.rows[0]!.id).toBe(id);
    expect(second.next).toBeNull();

    await expect(resolveGrievance(t.ctx, { grievanceId: id, resolution: "ok" }, w.officer.actor)).rejects.toMatchObject({ name: "ZodError" });
    t.clock.advance(3_600_000);
    await resolveGrievance(t.ctx, { grievanceId: id, resolution: "The missing 500 is added to cycle 2027-04" }, w.officer.actor);
    await expect(resolveGrievance(t.ctx, { grievanceId: id, resolution: "Resolved twice?" }, w.officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const [resolved] = (await readGrievances(t.ctx, { status: "resolved" })).rows;
    expect(resolved).toMatchObject({ id, resolution: "The missing 500 is added to cycle 2027-04", resolvedBy: w.officer.actor.id, resolvedAt: t.clock.now, resolvedByName: expect.any(String) });
    expect((await readBeneficiaryProfile(t.ctx, amina.ref))!.grievances).toEqual([expect.objectContaining({ id, status: "resolved" })]);
    // The audit log keeps who and when, not the person's words.
    const events = await t.ctx.db.auditEvent.findMany({ where: { subject: id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["grievance.record", "grievance.resolve"]);
    expect(events.map((e) => e.details).join()).not.toContain("2,000");
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  });
});
