/**
 * A small programme office for the console's tests, built through the real paths: a CSV registry
 * import (names in several scripts, so search folds them as it would), a cash programme and an
 * issued cycle (submitted, approved, bulk-issued), a service point with an enrolled device, and
 * receipts the device signs and the issuer ingests, exactly as a verifier sends them.
 */
import { entitlementKey, newReceiptId, signReceipt } from "@haki/redemption/receipts";
import { createCsvConnector } from "@haki/registry/csv";
import type { ServerContext } from "@/server/context";
import { importRegistry } from "@/server/registry/import-registry";
import { saveSource } from "@/server/registry/save-source";
import { saveServicePoint } from "@/server/verifier/service-points";
import { enrolTestDevice } from "./devices";
import { ingestReceipts } from "@/server/verifier/ingest-receipts";
import { newId } from "@/server/lib/ids";
import { createTestUser } from "./context";
import { issueProgrammeCycle } from "./fixtures";

/** The registry rows: id, name, area, household size. */
export const WORLD_PEOPLE = [
  ["H-1", "Aïssata Maïga", "KE-047", 5],
  ["H-2", "Amina Wanjirũ", "KE-047", 3],
  ["H-3", "أحمد علي", "KE-022", 7],
  ["H-4", "Juma Mwangi", "KE-022", 2],
  ["H-5", "Mohamed Ali", "KE-001", 4],
  ["H-6", "", "KE-001", 6],
] as const;

export async function createConsoleWorld(ctx: ServerContext) {
  const officer = await createTestUser(ctx, ["officer"]);
  const approver = await createTestUser(ctx, ["approver"]);
  const auditor = await createTestUser(ctx, ["auditor"]);
  const mapping = { hh_id: "registryId", head: "name", district: "area", size: "householdSize" } as const;
  const sourceId = (await saveSource(ctx, { name: "Social registry", mapping: { ...mapping } }, officer.actor)).id;
  const runId = newId();
  await ctx.db.importRun.create({ data: { id: runId, sourceId, fileName: "registry.csv" } });
  const csv = `hh_id,head,district,size\n${WORLD_PEOPLE.map((p) => p.join(",")).join("\n")}\n`;
  await importRegistry(ctx, { runId, sourceId, connector: createCsvConnector({ open: () => [csv], mapping: { ...mapping } }), actorId: officer.actor.id });

  const programme = { code: `cash-${newId().slice(0, 6)}`, name: "Cash transfer" };
  const { programmeId, cycleId, jobId } = await issueProgrammeCycle(ctx, { ...programme, benefitType: "cash", currency: "KES" }, { amount: "2500" }, officer.actor, approver.actor, "world");

  const entitlements = await ctx.db.entitlement.findMany({ where: { cycleId }, include: { beneficiary: true } });
  const people = await ctx.db.beneficiary.findMany({ orderBy: { householdSize: "asc" } });
  const byName = (name: string) => {
    const b = people.find((p) => (p.displayName ?? "") === name);
    if (!b) throw new Error(`no ${name}`);
    return { ...b, entitlement: entitlements.find((e) => e.beneficiaryId === b.id)! };
  };

  const servicePoint = "sp-world-1";
  await saveServicePoint(ctx, { id: servicePoint, name: "Market stall", area: "KE-047", programmes: [programme.code] }, officer.actor);
  const { deviceId, key } = await enrolTestDevice(ctx, servicePoint, officer.actor, { deviceLabel: "Counter 1" });

  /** A hand-over of the entitlement at `at`, signed by the device and ingested; returns the receipt id. */
  const redeem = async (entitlementId: string, at: Date, amount = 2500): Promise<string> => {
    const e = entitlements.find((x) => x.id === entitlementId)!;
    const parts = { issuer: ctx.did, programme: programme.code, cycle: "2027-03", beneficiary: e.beneficiary.ref };
    const receipt = {
      v: 1 as const,
      id: newReceiptId(),
      ...parts,
      entitlement: entitlementKey(parts),
      credential: `urn:uuid:${e.id}`,
      servicePoint,
      device: deviceId,
      redemption: "single" as const,
      handedOver: { type: "Cash" as const, amount, currency: "KES" },
      remaining: 0,
      visualCheck: false,
      at: Math.floor(at.getTime() / 1000),
    };
    const jws = await signReceipt(receipt, { privateKey: key.privateKey, deviceId });
    const r = await ingestReceipts(ctx, { receipts: [{ id: receipt.id, jws }] });
    if (r.accepted.length !== 1) throw new Error(`receipt not accepted: ${JSON.stringify(r)}`);
    return receipt.id;
  };

  return { officer, approver, auditor, programme: { id: programmeId, ...programme }, cycleId, jobId, entitlements, byName, servicePoint, deviceId, redeem };
}

export type ConsoleWorld = Awaited<ReturnType<typeof createConsoleWorld>>;
