import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signCredential } from "@haki/credentials/sign";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { submitAndApprove } from "@/test/fixtures";
import { createProgramme } from "@/server/programmes/create-programme";
import { createCycle } from "@/server/cycles/create-cycle";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { newId } from "@/server/lib/ids";
import { startIssuance } from "./start-issuance";
import { runPgIssuanceWorker, startQueue } from "./pg-queue";
import type { SignEntitlement } from "./issuance-job";

const PEOPLE = 2500;

describe.runIf(Boolean(process.env.HAKI_TEST_PG_URL))("bulk issuance on PostgreSQL with pg-boss", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext("postgresql");
    // The queue keeps time with the database; the test clock must not lag it.
    t.clock.now = new Date();
  }, 60_000);
  afterAll(() => t?.close());

  it("two workers (each with its own pg-boss connection) share one cycle's signing; a crashed range is retried; nothing is duplicated", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const approver = await createTestUser(t.ctx, ["approver"]);
    await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
    await t.ctx.db.beneficiary.createMany({
      data: Array.from({ length: PEOPLE }, (_, i) => ({ id: newId(), ref: `HK-Q${String(i).padStart(8, "0")}`, sourceId: "s", registryIdHash: `h${i}`, rowHash: "r" })),
    });
    const { id: programmeId } = await createProgramme(t.ctx, { code: "cash", name: "Cash", benefitType: "cash", currency: "KES" }, officer.actor);
    const { id: cycleId } = await createCycle(t.ctx, { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "10", rule: { all: [] } }, officer.actor);
    await submitAndApprove(t.ctx, cycleId, officer.actor, approver.actor);
    const { jobId } = await startIssuance(t.ctx, cycleId, officer.actor);

    const signedBy = new Map<string, number>();
    let crashed = false;
    const signer =
      (worker: string): SignEntitlement =>
      async (input, key, options) => {
        // The first worker to sign a range it does not hold dies once: pg-boss retries that range.
        if (!crashed) {
          const { workerId } = await t.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } });
          if (workerId && workerId !== worker) {
            crashed = true;
            throw new Error(`worker ${worker} crashed in a range`);
          }
        }
        signedBy.set(worker, (signedBy.get(worker) ?? 0) + 1);
        // About 1 ms a credential, as on a slow machine: the job lasts long enough for both to share it.
        for (const end = performance.now() + 1; performance.now() < end; );
        return signCredential(input, key, options);
      };
    const controller = new AbortController();
    const bossA = await startQueue(t.database.url);
    const bossB = await startQueue(t.database.url);
    const workers = [
      runPgIssuanceWorker(t.ctx, { signal: controller.signal, workerId: "A", sign: signer("A"), boss: bossA, pollMs: 200, prepareBatch: 100 }),
      runPgIssuanceWorker(t.ctx, { signal: controller.signal, workerId: "B", sign: signer("B"), boss: bossB, pollMs: 200, prepareBatch: 100 }),
    ];
    const deadline = Date.now() + 60_000;
    let state = "";
    while (Date.now() < deadline) {
      state = (await t.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } })).state;
      if (state === "completed" || state === "failed") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    controller.abort();
    await Promise.all(workers);
    await Promise.all([bossA.stop({ graceful: false, wait: true }), bossB.stop({ graceful: false, wait: true })]);

    expect(state).toBe("completed");
    expect(crashed).toBe(true);
    expect(await t.ctx.db.entitlement.count({ where: { cycleId, status: "issued" } })).toBe(PEOPLE);
    expect(await t.ctx.db.entitlement.count({ where: { cycleId } })).toBe(PEOPLE);
    expect(signedBy.get("A")).toBeGreaterThan(0);
    expect(signedBy.get("B")).toBeGreaterThan(0);
    expect(await t.ctx.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).toMatchObject({ state: "issued" });
    expect(await t.ctx.db.auditEvent.count({ where: { action: "issuance.complete", subject: jobId } })).toBe(1);
    const positions = await t.ctx.db.entitlement.findMany({ where: { cycleId }, select: { statusList: true, statusIndex: true } });
    expect(new Set(positions.map((e) => `${e.statusList}:${e.statusIndex}`)).size).toBe(PEOPLE);
    expect(await t.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ done: PEOPLE, total: PEOPLE });
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  }, 90_000);
});
