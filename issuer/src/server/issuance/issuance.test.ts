import { beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { verifyCredential } from "@haki/credentials/verify";
import { trustListOf } from "@haki/credentials/trust";
import { signCredential } from "@haki/credentials/sign";
import { decodeProtectedHeader } from "jose";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { submitAndApprove } from "@/test/fixtures";
import { createProgramme } from "@/server/programmes/create-programme";
import { createCycle } from "@/server/cycles/create-cycle";
import { newId } from "@/server/lib/ids";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { claimIssuanceJob } from "./claim-issuance-job";
import { helpIssuanceJob } from "./help-issuance-job";
import { LEASE_MS, type SignEntitlement } from "./issuance-job";
import { runIssuanceJob } from "./run-issuance-job";
import { startIssuance } from "./start-issuance";
import { useTestContext, useTestUser } from "@/test/suite";

const PEOPLE = 57;

describe.each(testProviders())("bulk issuance on %s", (provider) => {
  const t = useTestContext(provider);
  const officer = useTestUser(t, ["officer"]);
  const approver = useTestUser(t, ["approver"]);
  let cycleId: string;
  beforeAll(async () => {
    await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
    await t.ctx.db.beneficiary.createMany({
      data: Array.from({ length: PEOPLE + 3 }, (_, i) => ({
        id: newId(),
        ref: `HK-B${String(i).padStart(8, "0")}`,
        sourceId: "s",
        registryIdHash: `h${i}`,
        rowHash: "r",
        householdSize: i < PEOPLE ? 5 : 1,
        area: "KE-047",
        displayName: i === 0 ? "Amina Odhiambo" : null,
      })),
    });
    const { id: programmeId } = await createProgramme(t.ctx, { code: "cash", name: "Cash transfer", benefitType: "cash", currency: "KES" }, officer.actor);
    cycleId = (
      await createCycle(
        t.ctx,
        { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "1500.50", rule: { all: [{ field: "householdSize", op: "gte", value: 2 }] } },
        officer.actor,
      )
    ).id;
  }, 60_000);

  it("refuses to issue a cycle that is not approved", async () => {
    await expect(startIssuance(t.ctx, cycleId, officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
  });

  it("survives a crash mid-way: resumes without losing or duplicating a credential", async () => {
    await submitAndApprove(t.ctx, cycleId, officer.actor, approver.actor);
    const { jobId } = await startIssuance(t.ctx, cycleId, officer.actor);
    expect((await startIssuance(t.ctx, cycleId, officer.actor)).jobId).toBe(jobId);

    // Worker A claims the job, signs and stores its first page of 20 and "crashes".
    expect(await claimIssuanceJob(t.ctx, "A")).toEqual({ id: jobId });
    let pages = 0;
    const crash = async (phase: string) => {
      if (phase === "sign" && ++pages === 1) throw new Error("power cut");
    };
    await expect(runIssuanceJob(t.ctx, jobId, { workerId: "A", prepareBatch: 20, signBatch: 10, afterPage: crash })).rejects.toThrow("power cut");
    expect(await t.ctx.db.entitlement.count({ where: { cycleId } })).toBe(20);
    expect(await t.ctx.db.entitlement.count({ where: { cycleId, status: "issued" } })).toBe(20);

    // Worker B cannot take the job while A's lease is fresh; after the lease runs out it can.
    expect(await claimIssuanceJob(t.ctx, "B")).toBeNull();
    t.clock.advance(LEASE_MS + 1000);
    expect(await claimIssuanceJob(t.ctx, "B")).toEqual({ id: jobId });
    const signedBy: string[] = [];
    const spy: SignEntitlement = async (input, key, options) => {
      signedBy.push(input.id ?? "");
      return signCredential(input, key, options);
    };
    const result = await runIssuanceJob(t.ctx, jobId, { workerId: "B", prepareBatch: 20, signBatch: 10, sign: spy });
    expect(result).toMatchObject({ state: "completed", signed: PEOPLE - 20 });
    expect(new Set(signedBy).size).toBe(PEOPLE - 20);

    // A wakes up and tries to carry on: it lost the lease and writes nothing.
    expect(await runIssuanceJob(t.ctx, jobId, { workerId: "A" })).toMatchObject({ state: "lost-lease", signed: 0 });

    const ents = await t.ctx.db.entitlement.findMany({ where: { cycleId } });
    expect(ents).toHaveLength(PEOPLE);
    expect(ents.every((e) => e.status === "issued" && e.credential)).toBe(true);
    expect(new Set(ents.map((e) => `${e.statusList}:${e.statusIndex}`)).size).toBe(PEOPLE);
    expect(await t.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ state: "completed", done: PEOPLE, total: PEOPLE });
    expect(await t.ctx.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).toMatchObject({ state: "issued" });
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
  }, 60_000);

  it("signs credentials that verify against the issuer's published key", async () => {
    const [pub] = await t.ctx.keys.listPublicKeys();
    const trust = trustListOf({ did: t.ctx.did, name: "Test issuer", keys: [{ id: pub!.kid, publicKeyJwk: pub!.publicJwk }] });
    const b = await t.ctx.db.beneficiary.findFirstOrThrow({ where: { displayName: "Amina Odhiambo" } });
    const e = await t.ctx.db.entitlement.findFirstOrThrow({ where: { beneficiaryId: b.id } });
    const r = await verifyCredential(e.credential!, trust, { now: new Date("2027-03-10T10:00:00Z") });
    expect(r.valid).toBe(true);
    if (r.valid) {
      expect(r.payload.iss).toBe("did:web:issuer.haki.test");
      expect(r.payload.vc.credentialSubject).toMatchObject({
        beneficiary: b.ref,
        name: "Amina Odhiambo",
        programme: { id: "cash", name: "Cash transfer" },
        cycle: "2027-03",
        benefit: { type: "Cash", amount: 1500.5, currency: "KES" },
      });
      expect(r.payload.vc.credentialStatus[0]!.statusListCredential).toBe(`https://issuer.haki.test/status/${e.statusList}/revocation`);
    }
  });

  it("signs in the cycle's format: VC 2.0 (vc+jwt) by default, VC 1.1 when the officer picks it; cycles from before the format existed read as VC 1.1", async () => {
    const [pub] = await t.ctx.keys.listPublicKeys();
    const trust = trustListOf({ did: t.ctx.did, name: "Test issuer", keys: [{ id: pub!.kid, publicKeyJwk: pub!.publicJwk }] });
    const now = new Date("2027-03-10T10:00:00Z");
    expect(await t.ctx.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).toMatchObject({ credentialFormat: "vc2" });
    for (const e of await t.ctx.db.entitlement.findMany({ where: { cycleId } })) {
      expect(decodeProtectedHeader(e.credential!).typ).toBe("vc+jwt");
      expect(await verifyCredential(e.credential!, trust, { now })).toMatchObject({ valid: true, format: "vc2" });
    }

    const { programmeId } = await t.ctx.db.cycle.findUniqueOrThrow({ where: { id: cycleId } });
    const { id: vc1Cycle } = await createCycle(
      t.ctx,
      { programmeId, code: "2027-03-vc1", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "10", rule: { all: [] }, credentialFormat: "vc1" },
      officer.actor,
    );
    await submitAndApprove(t.ctx, vc1Cycle, officer.actor, approver.actor);
    const { jobId } = await startIssuance(t.ctx, vc1Cycle, officer.actor);
    expect(await claimIssuanceJob(t.ctx, "C")).toEqual({ id: jobId });
    expect(await runIssuanceJob(t.ctx, jobId, { workerId: "C", prepareBatch: 20, signBatch: 10 })).toMatchObject({ state: "completed" });
    const vc1 = await t.ctx.db.entitlement.findMany({ where: { cycleId: vc1Cycle } });
    expect(vc1).toHaveLength(PEOPLE + 3);
    for (const e of vc1) {
      expect(decodeProtectedHeader(e.credential!).typ).toBe("JWT");
      expect(await verifyCredential(e.credential!, trust, { now })).toMatchObject({ valid: true, format: "vc1" });
    }

    // A row written without the column (as the migration left the cycles that existed before it).
    const old = newId();
    await t.ctx.db.$executeRaw`INSERT INTO "Cycle" ("id", "programmeId", "code", "validFrom", "validUntil", "rule", "preparedBy") VALUES (${old}, ${programmeId}, ${"2026-12"}, ${new Date("2026-12-01")}, ${new Date("2027-01-01")}, ${"{}"}, ${officer.actor.id})`;
    expect(await t.ctx.db.cycle.findUniqueOrThrow({ where: { id: old } })).toMatchObject({ credentialFormat: "vc1" });
  }, 60_000);
});

describe("bulk issuance at default page sizes", () => {
  it("issues a cycle larger than one page of every kind (1,100 beneficiaries)", async () => {
    const t = await createTestContext();
    try {
      const officer = await createTestUser(t.ctx, ["officer"]);
      const approver = await createTestUser(t.ctx, ["approver"]);
      await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
      await t.ctx.db.beneficiary.createMany({
        data: Array.from({ length: 1100 }, (_, i) => ({ id: newId(), ref: `HK-L${String(i).padStart(8, "0")}`, sourceId: "s", registryIdHash: `h${i}`, rowHash: "r" })),
      });
      const { id: programmeId } = await createProgramme(t.ctx, { code: "v", name: "Seeds voucher", benefitType: "voucher", description: "Seeds" }, officer.actor);
      const { id } = await createCycle(t.ctx, { programmeId, code: "2027-S", validFrom: "2027-03-01", validUntil: "2027-06-01", rule: { all: [] } }, officer.actor);
      await submitAndApprove(t.ctx, id, officer.actor, approver.actor);
      const { jobId } = await startIssuance(t.ctx, id, officer.actor);
      await claimIssuanceJob(t.ctx, "w");
      const r = await runIssuanceJob(t.ctx, jobId, { workerId: "w" });
      expect(r).toMatchObject({ state: "completed", signed: 1100 });
      expect(await t.ctx.db.entitlement.count({ where: { cycleId: id, status: "issued" } })).toBe(1100);
    } finally {
      await t.close();
    }
  }, 60_000);
});

/** A queued issuance job for an approved cash cycle of `people` beneficiaries (refs HK-<letter>...). */
async function queueCashJob(t: TestContext, people: number, letter: string): Promise<{ id: string; jobId: string }> {
  const officer = await createTestUser(t.ctx, ["officer"]);
  const approver = await createTestUser(t.ctx, ["approver"]);
  await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
  await t.ctx.db.beneficiary.createMany({
    data: Array.from({ length: people }, (_, i) => ({ id: newId(), ref: `HK-${letter}${String(i).padStart(8, "0")}`, sourceId: "s", registryIdHash: `h${i}`, rowHash: "r" })),
  });
  const { id: programmeId } = await createProgramme(t.ctx, { code: "c", name: "Cash", benefitType: "cash", currency: "KES" }, officer.actor);
  const { id } = await createCycle(t.ctx, { programmeId, code: `2027-${letter}`, validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "10", rule: { all: [] } }, officer.actor);
  await submitAndApprove(t.ctx, id, officer.actor, approver.actor);
  const { jobId } = await startIssuance(t.ctx, id, officer.actor);
  return { id, jobId };
}

describe.each(testProviders())("a helper worker shares the signing on %s", (provider) => {
  it("signs chunks of a job another worker holds; a chunk the helper dropped is swept by the holder; each credential is stored once", async () => {
    const t = await createTestContext(provider);
    try {
      const { id, jobId } = await queueCashJob(t, 95, "H");

      // Nothing to help with before the job is in its signing phase.
      expect(await helpIssuanceJob(t.ctx, { workerId: "B" })).toBe(0);
      expect(await claimIssuanceJob(t.ctx, "A")).toEqual({ id: jobId });
      // A prepares; then the helper B signs chunks of 10 and "crashes" on its third chunk.
      let chunks = 0;
      const dropping: SignEntitlement = async (input, key, options) => {
        if (input.id === firstOfThird) throw new Error("helper died");
        return signCredential(input, key, options);
      };
      let firstOfThird = "";
      const counting: SignEntitlement = async (input, key, options) => {
        chunks++;
        return signCredential(input, key, options);
      };
      // Learn which credential opens the third chunk, to fail exactly there.
      await runIssuanceJob(t.ctx, jobId, { workerId: "A", stopAfterPrepare: true });
      const byPosition = await t.ctx.db.entitlement.findMany({ where: { cycleId: id }, orderBy: [{ statusList: "asc" }, { statusIndex: "asc" }] });
      firstOfThird = `urn:uuid:${byPosition[20]!.id}`;
      await expect(helpIssuanceJob(t.ctx, { workerId: "B", signBatch: 10, sign: dropping })).rejects.toThrow("helper died");
      expect(await t.ctx.db.entitlement.count({ where: { cycleId: id, status: "issued" } })).toBe(20);
      // A second helper takes the remaining chunks (the dropped one stays pending).
      const helped = await helpIssuanceJob(t.ctx, { workerId: "C", signBatch: 10, sign: counting });
      expect(helped).toBe(95 - 30);
      expect(chunks).toBe(95 - 30);
      // The holder finds no chunk left and sweeps the dropped one.
      const signedByA: string[] = [];
      const r = await runIssuanceJob(t.ctx, jobId, { workerId: "A", signBatch: 10, sign: async (input, key, options) => (signedByA.push(input.id ?? ""), signCredential(input, key, options)) });
      expect(r).toMatchObject({ state: "completed", signed: 10 });
      expect(signedByA).toContain(firstOfThird);
      const ents = await t.ctx.db.entitlement.findMany({ where: { cycleId: id } });
      expect(ents).toHaveLength(95);
      expect(ents.every((e) => e.status === "issued" && e.credential)).toBe(true);
      expect(await t.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ state: "completed", done: 95, total: 95 });
      expect(await t.ctx.db.counter.count({ where: { name: { startsWith: "issuance-" } } })).toBe(0); // chunk counter, span and flag are gone
    } finally {
      await t.close();
    }
  }, 60_000);

  it("a helper out of work is fed pages stored pending while the holder signs the rest itself; each credential is stored once", async () => {
    const t = await createTestContext(provider);
    try {
      const { id, jobId } = await queueCashJob(t, 95, "P");
      expect(await claimIssuanceJob(t.ctx, "A")).toEqual({ id: jobId });
      // The helper raises this flag when it has nothing to sign; the holder lowers it as it feeds.
      const hungry = async () => (await t.ctx.db.counter.findUnique({ where: { name: `issuance-hungry:${jobId}` } }))?.value === 1;
      const untilHungry = async () => {
        for (let i = 0; i < 500 && !(await hungry()); i++) await new Promise((r) => setTimeout(r, 10));
        expect(await hungry()).toBe(true);
      };
      let helper: Promise<number> | null = null;
      const phases: string[] = [];
      const r = await runIssuanceJob(t.ctx, jobId, {
        workerId: "A",
        prepareBatch: 25,
        signBatch: 10,
        afterPage: async (phase) => {
          phases.push(phase);
          // After A's first page (signed and stored at once: nobody to share with), B starts
          // helping; each time B has signed all it can, it asks for more before A goes on.
          helper ??= helpIssuanceJob(t.ctx, { workerId: "B", signBatch: 10 });
          await untilHungry();
        },
      });
      const helped = await helper!;
      expect(phases[0]).toBe("sign");
      // A stored the next pages pending for B instead of signing them itself.
      expect(phases.slice(1, 3)).toEqual(["prepare", "prepare"]);
      expect(helped).toBeGreaterThanOrEqual(25);
      expect(r.signed).toBeGreaterThanOrEqual(25);
      expect(r.state).toBe("completed");
      expect(r.signed + helped).toBe(95);
      expect(await t.ctx.db.counter.count({ where: { name: { startsWith: "issuance-" } } })).toBe(0);
      const ents = await t.ctx.db.entitlement.findMany({ where: { cycleId: id } });
      expect(ents).toHaveLength(95);
      expect(ents.every((e) => e.status === "issued" && e.credential)).toBe(true);
      expect(await t.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ state: "completed", done: 95, total: 95 });
    } finally {
      await t.close();
    }
  }, 60_000);
});
