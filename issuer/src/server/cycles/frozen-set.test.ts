/**
 * Four eyes bind the list, not only the rule (issue 12, section 2): an officer who imports invented
 * households after the approver has approved a cycle must not be able to issue to them.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createCsvConnector } from "@haki/registry/csv";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { importRegistry } from "@/server/registry/import-registry";
import { saveSource } from "@/server/registry/save-source";
import { createProgramme } from "@/server/programmes/create-programme";
import { startIssuance } from "@/server/issuance/start-issuance";
import { claimIssuanceJob } from "@/server/issuance/claim-issuance-job";
import { runIssuanceJob } from "@/server/issuance/run-issuance-job";
import { newId } from "@/server/lib/ids";
import { createCycle, createTopUpCycle } from "./create-cycle";
import { approveCycle, returnCycle, submitCycle } from "./transition-cycle";
import { FrozenTotals, countQualifying, walkFrozenSet } from "./frozen-set";

const mapping = { hh_id: "registryId", head: "name", district: "area", size: "householdSize" } as const;

describe.each(testProviders())("the approved list is the issued list on %s", (provider) => {
  let t: TestContext;
  let officer: Awaited<ReturnType<typeof createTestUser>>;
  let approver: Awaited<ReturnType<typeof createTestUser>>;
  let sourceId: string;
  let programmeId: string;

  const importCsv = async (rows: string[]) => {
    const runId = newId();
    await t.ctx.db.importRun.create({ data: { id: runId, sourceId, fileName: "registry.csv" } });
    const connector = createCsvConnector({ open: () => [`hh_id,head,district,size\n${rows.join("\n")}\n`], mapping: { ...mapping } });
    await importRegistry(t.ctx, { runId, sourceId, connector, actorId: officer.actor.id });
  };
  const issue = async (cycleId: string) => {
    const { jobId } = await startIssuance(t.ctx, cycleId, officer.actor);
    await claimIssuanceJob(t.ctx, "w");
    return runIssuanceJob(t.ctx, jobId, { workerId: "w" });
  };
  const holders = async (cycleId: string) =>
    (await t.ctx.db.entitlement.findMany({ where: { cycleId }, include: { beneficiary: true } })).map((e) => e.beneficiary.displayName).sort();

  beforeAll(async () => {
    t = await createTestContext(provider);
    officer = await createTestUser(t.ctx, ["officer"]);
    approver = await createTestUser(t.ctx, ["approver"]);
    sourceId = (await saveSource(t.ctx, { name: "MIS export", mapping: { ...mapping } }, officer.actor)).id;
    await importCsv(["H-1,Amina Otieno,KE-047,5", "H-2,Juma Mwangi,KE-047,3", "H-3,Grace Wanjiru,KE-022,7", "H-4,Outside Person,KE-001,2"]);
    programmeId = (await createProgramme(t.ctx, { code: "cash", name: "Cash transfer", benefitType: "cash", currency: "KES" }, officer.actor)).id;
  }, 60_000);
  afterAll(() => t.close());

  it("freezes who qualifies at submission, with the count, the totals by area and a digest of who", async () => {
    const rule = { all: [{ field: "area" as const, op: "in" as const, value: ["KE-047", "KE-022"] }] };
    const { id } = await createCycle(t.ctx, { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "2500.50", rule }, officer.actor);
    const frozen = await submitCycle(t.ctx, id, officer.actor);
    const cycle = await t.ctx.db.cycle.findUniqueOrThrow({ where: { id } });
    expect(cycle).toMatchObject({ state: "submitted", submittedBy: officer.actor.id, frozenCount: 3, frozenDigest: frozen.digest });
    expect(FrozenTotals.parse(JSON.parse(cycle.frozenTotals!))).toEqual({
      count: 3,
      kind: "money",
      perPerson: "2500.50",
      unit: "KES",
      total: "7501.5",
      byArea: [
        { area: "KE-022", count: 1, total: "2500.5" },
        { area: "KE-047", count: 2, total: "5001" },
      ],
    });
    // Anyone can recompute the digest from the downloadable list (references, in list order).
    const refs: string[] = [];
    await walkFrozenSet(t.ctx, id, (members) => void refs.push(...members.map((m) => m.ref)));
    expect(createHash("sha256").update(refs.map((r) => `${r}\n`).join("")).digest("hex")).toBe(frozen.digest);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "cycle.submit", subject: id } })).toBe(1);
  });

  it("refuses to issue to households imported after approval, issuing exactly the approved list", async () => {
    const cycle = await t.ctx.db.cycle.findFirstOrThrow({ where: { programmeId, code: "2027-03" } });
    await approveCycle(t.ctx, { cycleId: cycle.id, digest: cycle.frozenDigest! }, approver.actor);
    // The insider's move: invented households in the programme's areas, after the approval.
    await importCsv(["FAKE-1,Ghost One,KE-047,9", "FAKE-2,Ghost Two,KE-022,9"]);
    expect(await countQualifying(t.ctx, { ...cycle, programme: await t.ctx.db.programme.findUniqueOrThrow({ where: { id: programmeId } }) })).toBe(5);
    const r = await issue(cycle.id);
    expect(r).toMatchObject({ state: "completed", signed: 3 });
    expect(await holders(cycle.id)).toEqual(["Amina Otieno", "Grace Wanjiru", "Juma Mwangi"]);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  });

  it("refuses to issue a list changed after approval (someone wrote to the frozen set)", async () => {
    const { id } = await createCycle(t.ctx, { programmeId, code: "2027-04", validFrom: "2027-04-01", validUntil: "2027-05-01", amount: "100", rule: { all: [] } }, officer.actor);
    const frozen = await submitCycle(t.ctx, id, officer.actor);
    await approveCycle(t.ctx, { cycleId: id, digest: frozen.digest }, approver.actor);
    const ghost = await t.ctx.db.beneficiary.findFirstOrThrow({ where: { displayName: "Ghost One" } });
    await t.ctx.db.cycleMember.deleteMany({ where: { cycleId: id } });
    await t.ctx.db.cycleMember.create({ data: { cycleId: id, beneficiaryId: ghost.id } });
    await expect(startIssuance(t.ctx, id, officer.actor)).rejects.toMatchObject({ code: "ERR_FROZEN_SET_CHANGED" });
    expect(await t.ctx.db.issuanceJob.count({ where: { cycleId: id } })).toBe(0);
    expect(await t.ctx.db.entitlement.count({ where: { cycleId: id } })).toBe(0);
  });

  it("gives newly eligible people a top-up cycle of their own, which needs its own approval", async () => {
    const parent = await t.ctx.db.cycle.findFirstOrThrow({ where: { programmeId, code: "2027-03" } });
    const { id } = await createTopUpCycle(t.ctx, { cycleId: parent.id, code: "2027-03-topup" }, officer.actor);
    await expect(startIssuance(t.ctx, id, officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const frozen = await submitCycle(t.ctx, id, officer.actor);
    expect(frozen.count).toBe(2);
    await approveCycle(t.ctx, { cycleId: id, digest: frozen.digest }, approver.actor);
    expect(await issue(id)).toMatchObject({ state: "completed", signed: 2 });
    expect(await holders(id)).toEqual(["Ghost One", "Ghost Two"]);
  });

  it("lets an approver return a cycle with a comment: back to draft, the list dropped, submitted again later", async () => {
    const { id } = await createCycle(t.ctx, { programmeId, code: "2027-05", validFrom: "2027-05-01", validUntil: "2027-06-01", amount: "100", rule: { all: [] } }, officer.actor);
    const first = await submitCycle(t.ctx, id, officer.actor);
    await expect(returnCycle(t.ctx, { cycleId: id, comment: "" }, approver.actor)).rejects.toMatchObject({ name: "ZodError" });
    await expect(returnCycle(t.ctx, { cycleId: id, comment: "Leave out KE-001" }, officer.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await returnCycle(t.ctx, { cycleId: id, comment: "Leave out KE-001" }, approver.actor);
    expect(await t.ctx.db.cycle.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: "draft",
      returnedBy: approver.actor.id,
      returnComment: "Leave out KE-001",
      frozenDigest: null,
    });
    expect(await t.ctx.db.cycleMember.count({ where: { cycleId: id } })).toBe(0);
    await expect(approveCycle(t.ctx, { cycleId: id, digest: first.digest }, approver.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const event = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "cycle.return", subject: id } });
    expect(JSON.parse(event.details)).toEqual({ comment: "Leave out KE-001" });
    const again = await submitCycle(t.ctx, id, officer.actor);
    expect(again.count).toBe(first.count);
    await approveCycle(t.ctx, { cycleId: id, digest: again.digest }, approver.actor);
    expect((await t.ctx.db.cycle.findUniqueOrThrow({ where: { id } })).state).toBe("approved");
  });
});
