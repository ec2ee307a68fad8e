import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createCsvConnector } from "@haki/registry/csv";
import { createTestContext, createTestUser, type TestContext } from "../../test/context";
import { importRegistry } from "./import-registry";
import { saveSource } from "./save-source";

// The next reference drawn can be forced, to make the 1-in-10^15 clash of two random references happen.
const forced = vi.hoisted(() => ({ refs: [] as string[] }));
vi.mock("../lib/ids", async (importOriginal) => {
  const real = await importOriginal<typeof import("../lib/ids")>();
  return { ...real, newBeneficiaryRef: () => forced.refs.shift() ?? real.newBeneficiaryRef() };
});

const mapping = { hh_id: "registryId", head: "name" } as const;

describe.each(testProviders())("registry import on %s, when a new reference clashes with one in use", (provider) => {
  let t: TestContext;
  let sourceId: string;
  let actorId: string;
  beforeAll(async () => {
    t = await createTestContext(provider);
    const officer = await createTestUser(t.ctx, ["officer"]);
    actorId = officer.actor.id;
    sourceId = (await saveSource(t.ctx, { name: "MIS", mapping: { ...mapping } }, officer.actor)).id;
  }, 60_000);
  afterAll(() => t.close());

  async function run(csv: string, runId: string) {
    await t.ctx.db.importRun.create({ data: { id: runId, sourceId, fileName: "x.csv" } });
    return importRegistry(t.ctx, { runId, sourceId, actorId, connector: createCsvConnector({ open: () => [csv], mapping: { ...mapping } }) });
  }

  it("draws new references and stores the batch once, losing no row", async () => {
    forced.refs.push("HK-AAAAAAAAAA");
    expect(await run("hh_id,head\nH-1,Amina\n", "r1")).toMatchObject({ created: 1 });
    // The next batch's first reference is the one already in use: the batch is redone with fresh ones.
    forced.refs.push("HK-AAAAAAAAAA");
    expect(await run("hh_id,head\nH-2,Juma\nH-3,Grace\n", "r2")).toMatchObject({ created: 2, rejected: 0 });
    const all = await t.ctx.db.beneficiary.findMany();
    expect(all).toHaveLength(3);
    expect(new Set(all.map((b) => b.ref)).size).toBe(3);
    expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: "r2" } })).toMatchObject({ status: "completed", created: 2 });
  });
});
