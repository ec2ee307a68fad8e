import { beforeAll, describe, expect, it, vi } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createCsvConnector } from "@haki/registry/csv";
import { createTestContext, createTestUser } from "@/test/context";
import { importRegistry, registryIdHash } from "./import-registry";
import { saveSource } from "./save-source";
import { newId } from "@/server/lib/ids";
import { useTestContext } from "@/test/suite";

// The next beneficiary reference drawn can be forced, to make a clash of two random references happen.
const forced = vi.hoisted(() => ({ refs: [] as string[] }));
vi.mock("@/server/lib/ids", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/lib/ids")>();
  return { ...real, newBeneficiaryRef: () => forced.refs.shift() ?? real.newBeneficiaryRef() };
});

const mapping = { hh_id: "registryId", head: "name", district: "area", size: "householdSize", pmt: "povertyScore", status: "enrolment" } as const;

describe.each(testProviders())("registry import on %s", (provider) => {
  const t = useTestContext(provider);
  let sourceId: string;
  let actorId: string;
  beforeAll(async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    actorId = officer.actor.id;
    sourceId = (await saveSource(t.ctx, { name: "MIS export", mapping: { ...mapping } }, officer.actor)).id;
  }, 60_000);

  async function run(csv: string) {
    const runId = newId();
    await t.ctx.db.importRun.create({ data: { id: runId, sourceId, fileName: "x.csv", bytesTotal: csv.length } });
    const connector = createCsvConnector({ open: () => [csv], mapping: { ...mapping } });
    const counts = await importRegistry(t.ctx, { runId, sourceId, connector, actorId });
    return { runId, counts };
  }

  const header = "hh_id,head,district,size,pmt,status,national_id\n";
  const rows = ["H-1,Amina,KE-047,5,20,Active,11111111", "H-2,Juma,KE-047,3,35,Active,22222222", "H-3,Grace,KE-022,7,10,Active,33333333"];

  it("stores beneficiaries with a pseudonymous ref and a keyed hash, never the registry id", async () => {
    const { counts } = await run(header + rows.join("\n"));
    expect(counts).toEqual({ rowsRead: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
    const all = await t.ctx.db.beneficiary.findMany({ orderBy: { householdSize: "asc" } });
    expect(all.map((b) => b.ref)).toEqual([expect.stringMatching(/^HK-[0-9A-Z]{10}$/), expect.any(String), expect.any(String)]);
    expect(JSON.stringify(all)).not.toMatch(/H-1|11111111/);
    expect(all[0]!.registryIdHash).toBe(registryIdHash(t.ctx, "H-2"));
  });

  it("re-importing the same file creates nothing (idempotent)", async () => {
    const before = await t.ctx.db.beneficiary.findMany({ orderBy: { id: "asc" } });
    const { counts } = await run(header + rows.join("\n"));
    expect(counts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await t.ctx.db.beneficiary.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("updates a changed row in place, keeping its ref", async () => {
    const ref = (await t.ctx.db.beneficiary.findFirstOrThrow({ where: { registryIdHash: registryIdHash(t.ctx, "H-2") } })).ref;
    const { counts } = await run(header + [rows[0], "H-2,Juma,KE-047,4,35,Deceased,22222222"].join("\n"));
    expect(counts).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const b = await t.ctx.db.beneficiary.findFirstOrThrow({ where: { ref } });
    expect(b).toMatchObject({ householdSize: 4, enrolment: "deceased" });
    expect(await t.ctx.db.beneficiary.count()).toBe(3);
  });

  it("records per-row errors and imports the rest", async () => {
    const { runId, counts } = await run(header + ["H-4,Ali,KE-047,many,1,Active,x", ",NoId,KE-047,2,1,Active,y", "H-5,Zawadi,KE-047,2,1,Active,z"].join("\n"));
    expect(counts).toMatchObject({ rowsRead: 3, created: 1, rejected: 2 });
    const errors = await t.ctx.db.importRowError.findMany({ where: { runId }, orderBy: { row: "asc" } });
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, "size", "ERR_ROW_INVALID"],
      [3, "hh_id", "ERR_ROW_INVALID"],
    ]);
    expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "completed", rejected: 2 });
  });

  it("draws new references when a new one clashes with one in use, storing the batch once and losing no row", async () => {
    const taken = (await t.ctx.db.beneficiary.findFirstOrThrow()).ref;
    const before = await t.ctx.db.beneficiary.count();
    forced.refs.push(taken);
    const { runId, counts } = await run(header + ["H-6,Neema,KE-047,4,12,Active,a", "H-7,Baraka,KE-047,2,9,Active,b"].join("\n"));
    expect(counts).toMatchObject({ created: 2, rejected: 0 });
    expect(forced.refs).toEqual([]);
    const all = await t.ctx.db.beneficiary.findMany();
    expect(all).toHaveLength(before + 2);
    expect(new Set(all.map((b) => b.ref)).size).toBe(all.length);
    expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "completed", created: 2 });
  });

  it("fails the run (and stores nothing) when a mapped column is missing", async () => {
    const before = await t.ctx.db.beneficiary.count();
    await expect(run("hh,head\nH-9,X\n")).rejects.toMatchObject({ code: "ERR_REGISTRY_MISSING_COLUMN" });
    const failed = await t.ctx.db.importRun.findFirstOrThrow({ where: { status: "failed" } });
    expect(failed.error).toMatch(/hh_id/);
    expect(await t.ctx.db.beneficiary.count()).toBe(before);
  });
});

describe("imports interrupted by a stop", () => {
  it("are marked failed at start-up on SQLite, with a plain reason", async () => {
    const { recoverInterruptedImports } = await import("./recover-imports");
    const t = await createTestContext();
    try {
      await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
      await t.ctx.db.importRun.create({ data: { id: "r1", sourceId: "s", fileName: "x.csv" } });
      await t.ctx.db.importRun.create({ data: { id: "r2", sourceId: "s", fileName: "y.csv", status: "completed" } });
      expect(await recoverInterruptedImports(t.ctx)).toBe(1);
      expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: "r1" } })).toMatchObject({ status: "failed", error: expect.stringMatching(/upload the file again/) });
      expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: "r2" } })).toMatchObject({ status: "completed" });
    } finally {
      await t.close();
    }
  });
});
