import { beforeAll, describe, expect, it } from "vitest";
import { createProgramme } from "@/server/programmes/create-programme";
import { createCycle } from "./create-cycle";
import { previewEligibility } from "./preview-eligibility";
import { approveCycle, closeCycle, submitCycle } from "./transition-cycle";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { newId } from "@/server/lib/ids";
import { useTestContext, useTestUser } from "@/test/suite";

describe("programmes and cycles", () => {
  const t = useTestContext();
  const officer = useTestUser(t, ["officer"]);
  const approver = useTestUser(t, ["approver"]);
  const both = useTestUser(t, ["officer", "approver"]);
  let programmeId: string;
  beforeAll(async () => {
    await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
    const people = [
      { size: 6, area: "KE-047", score: 10, enrolment: "active" },
      { size: 5, area: "KE-047", score: 40, enrolment: "active" },
      { size: 2, area: "KE-047", score: 5, enrolment: "active" },
      { size: 8, area: "KE-047", score: 1, enrolment: "deceased" },
      { size: 9, area: "KE-022", score: 1, enrolment: "active" },
    ];
    await t.ctx.db.beneficiary.createMany({
      data: people.map((p, i) => ({ id: newId(), ref: `HK-T${i}000000`, sourceId: "s", registryIdHash: `h${i}`, rowHash: "r", householdSize: p.size, area: p.area, povertyScore: p.score, enrolment: p.enrolment })),
    });
    programmeId = (await createProgramme(t.ctx, { code: "cash", name: "Cash transfer", benefitType: "cash", currency: "KES", area: "KE-047" }, officer.actor)).id;
  }, 60_000);

  it("validates programmes", async () => {
    await expect(createProgramme(t.ctx, { code: "x", name: "X", benefitType: "cash" }, officer.actor)).rejects.toMatchObject({ name: "ZodError" });
    await expect(createProgramme(t.ctx, { code: "cash", name: "Again", benefitType: "cash", currency: "KES" }, officer.actor)).rejects.toMatchObject({ code: "ERR_CONFLICT" });
    await expect(createProgramme(t.ctx, { code: "y", name: "Y", benefitType: "voucher", description: "Seeds" }, approver.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
  });

  it("previews how many qualify: active, in the programme's area, matching the rule", async () => {
    expect(await previewEligibility(t.ctx, programmeId, { all: [] })).toBe(3);
    expect(await previewEligibility(t.ctx, programmeId, { all: [{ field: "householdSize", op: "gte", value: 5 }] })).toBe(2);
    expect(
      await previewEligibility(t.ctx, programmeId, {
        all: [
          { field: "householdSize", op: "gte", value: 5 },
          { field: "povertyScore", op: "lt", value: 30 },
        ],
      }),
    ).toBe(1);
    await expect(previewEligibility(t.ctx, programmeId, { all: [{ field: "nationalId", op: "eq", value: 1 }] })).rejects.toMatchObject({ name: "ZodError" });
    await expect(previewEligibility(t.ctx, programmeId, { all: [{ field: "area", op: "in", value: "KE-1" }] })).rejects.toMatchObject({ name: "ZodError" });
  });

  it("enforces four eyes: who prepares or submits a cycle cannot approve it, and only a submitted list is approved", async () => {
    const { id } = await createCycle(
      t.ctx,
      { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "1500", rule: { all: [] } },
      both.actor,
    );
    const digest = "0".repeat(64);
    await expect(approveCycle(t.ctx, { cycleId: id, digest }, approver.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const frozen = await submitCycle(t.ctx, id, both.actor);
    expect(frozen.count).toBe(3);
    await expect(approveCycle(t.ctx, { cycleId: id, digest: frozen.digest }, both.actor)).rejects.toMatchObject({ code: "ERR_FOUR_EYES" });
    await expect(approveCycle(t.ctx, { cycleId: id, digest: frozen.digest }, officer.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await expect(approveCycle(t.ctx, { cycleId: id, digest }, approver.actor)).rejects.toMatchObject({ code: "ERR_FROZEN_SET_CHANGED" });
    await approveCycle(t.ctx, { cycleId: id, digest: frozen.digest }, approver.actor);
    expect(await t.ctx.db.cycle.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "approved", approvedBy: approver.actor.id, preparedBy: both.actor.id });
    await expect(approveCycle(t.ctx, { cycleId: id, digest: frozen.digest }, approver.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    await expect(closeCycle(t.ctx, id, officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
    expect(await t.ctx.db.auditEvent.count({ where: { action: "cycle.approve", subject: id } })).toBe(1);
  });

  it("refuses a cycle that ends before it starts, or a cash cycle without an amount", async () => {
    const base = { programmeId, code: "2027-04", validFrom: "2027-04-01", validUntil: "2027-05-01", rule: { all: [] } };
    await expect(createCycle(t.ctx, { ...base, validUntil: "2027-03-01", amount: "1" }, officer.actor)).rejects.toMatchObject({ name: "ZodError" });
    await expect(createCycle(t.ctx, base, officer.actor)).rejects.toMatchObject({ name: "ZodError", issues: [expect.objectContaining({ path: ["amount"], message: "form.required" })] });
    await expect(createCycle(t.ctx, { ...base, amount: "-5" }, officer.actor)).rejects.toMatchObject({ name: "ZodError" });
  });
});
