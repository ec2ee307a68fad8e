/**
 * A small issued cycle for route tests: beneficiaries, a programme, an approved cycle, and its
 * credentials signed by the bulk issuance job.
 */
import type { ServerContext } from "@/server/context";
import { createProgramme } from "@/server/programmes/create-programme";
import { createCycle } from "@/server/cycles/create-cycle";
import { approveCycle, submitCycle } from "@/server/cycles/transition-cycle";
import type { Actor } from "@/server/auth/roles";
import { startIssuance } from "@/server/issuance/start-issuance";
import { claimIssuanceJob } from "@/server/issuance/claim-issuance-job";
import { runIssuanceJob } from "@/server/issuance/run-issuance-job";
import { newId } from "@/server/lib/ids";
import { createTestUser } from "./context";

/**
 * Four eyes as tests go through them: the officer submits (the list is frozen), the approver
 * approves that list by its digest.
 *
 * @example
 * await submitAndApprove(t.ctx, cycleId, officer.actor, approver.actor);
 */
export async function submitAndApprove(ctx: ServerContext, cycleId: string, officer: Actor, approver: Actor): Promise<{ count: number; digest: string }> {
  const frozen = await submitCycle(ctx, cycleId, officer);
  await approveCycle(ctx, { cycleId, digest: frozen.digest }, approver);
  return frozen;
}

/**
 * A programme and its cycle "2027-03" (March 2027, everyone qualifies, `value` per person) taken
 * through four eyes and signed by the bulk issuance job run by `workerId`.
 *
 * @example
 * const { programmeId, cycleId, jobId } = await issueProgrammeCycle(ctx, { code: "cash", name: "Cash", benefitType: "cash", currency: "KES" }, { amount: "2500" }, officer.actor, approver.actor, "world");
 */
export async function issueProgrammeCycle(
  ctx: ServerContext,
  programme: Parameters<typeof createProgramme>[1],
  value: { amount: string } | { quantity: string },
  officer: Actor,
  approver: Actor,
  workerId: string,
): Promise<{ programmeId: string; cycleId: string; jobId: string }> {
  const { id: programmeId } = await createProgramme(ctx, programme, officer);
  const { id: cycleId } = await createCycle(ctx, { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", ...value, rule: { all: [] } }, officer);
  await submitAndApprove(ctx, cycleId, officer, approver);
  const { jobId } = await startIssuance(ctx, cycleId, officer);
  const claimed = await claimIssuanceJob(ctx, workerId);
  if (claimed?.id !== jobId) throw new Error("fixture: job not claimed");
  await runIssuanceJob(ctx, jobId, { workerId });
  return { programmeId, cycleId, jobId };
}

export async function createIssuedCycle(ctx: ServerContext, people = 3) {
  const officer = await createTestUser(ctx, ["officer"]);
  const approver = await createTestUser(ctx, ["approver"]);
  await ctx.db.registrySource.upsert({ where: { id: "fixture" }, create: { id: "fixture", name: "fixture", mapping: "{}" }, update: {} });
  const refs = Array.from({ length: people }, (_, i) => `HK-FX${newId().slice(0, 6).toUpperCase()}${i}`);
  await ctx.db.beneficiary.createMany({
    data: refs.map((ref, i) => ({ id: newId(), ref, sourceId: "fixture", registryIdHash: `fx-${ref}`, rowHash: "r", householdSize: 3 + i, area: "KE-047" })),
  });
  const programmeCode = `p${newId().slice(0, 8)}`;
  const programme = { code: programmeCode, name: "Food basket", benefitType: "inkind", item: "Maize flour", unit: "kg" } as const;
  const { programmeId, cycleId, jobId } = await issueProgrammeCycle(ctx, programme, { quantity: "25" }, officer.actor, approver.actor, "fixture-worker");
  const entitlements = await ctx.db.entitlement.findMany({ where: { cycleId }, include: { beneficiary: true }, orderBy: { statusIndex: "asc" } });
  return { officer, approver, programmeId, programmeCode, cycleId, jobId, entitlements, refs };
}
