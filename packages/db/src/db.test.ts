import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, databaseProvider, DbError } from "./index";
import { listMigrations, migrateDatabase } from "./migrate";
import { createTestDatabase, testProviders, type TestDatabase } from "./testing";

describe("databaseProvider", () => {
  it("reads the provider from the URL", () => {
    expect(databaseProvider("file:./x.db")).toBe("sqlite");
    expect(databaseProvider("postgresql://u@h/db")).toBe("postgresql");
    expect(databaseProvider("postgres://u@h/db")).toBe("postgresql");
  });
  it("refuses other databases with a code", () => {
    expect(() => createDb("mysql://x")).toThrow(expect.objectContaining({ code: "ERR_DB_URL_UNSUPPORTED" }));
    expect(() => databaseProvider("./x.db")).toThrow(DbError);
  });
});

describe("migrations", () => {
  it("has the same migration names for both providers", () => {
    expect(listMigrations("sqlite").map((m) => m.name)).toEqual(listMigrations("postgresql").map((m) => m.name));
  });

  // prisma/migrations/schema.prisma is the schema as of the last migration (the one snapshot kept,
  // scripts/diff-migrations.sh writes it with each migration): a model changed without a migration
  // shows as a difference between the two.
  const PKG = join(dirname(fileURLToPath(import.meta.url)), "..");
  const SNAPSHOT = join(PKG, "prisma", "migrations", "schema.prisma");
  /** `prisma migrate diff --exit-code` between two schema files: 0 = same tables, 2 = a difference. */
  const schemaDiff = (from: string, to: string) =>
    spawnSync(
      join(PKG, "node_modules", ".bin", "prisma"),
      ["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--exit-code"],
      { cwd: PKG, encoding: "utf8", env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/nonexistent", PRISMA_QUERY_ENGINE_LIBRARY: "/nonexistent" } },
    );

  it("has a migration for every change in prisma/schema.prisma (run scripts/diff-migrations.sh <name> if not)", () => {
    const r = schemaDiff(SNAPSHOT, join(PKG, "prisma", "schema.prisma"));
    expect(r.stdout + r.stderr).toContain("No difference detected");
    expect(r.status).toBe(0);
  }, 60_000);

  it("notices a column added to the schema without a migration", () => {
    const changed = join(mkdtempSync(join(tmpdir(), "haki-schema-")), "schema.prisma");
    writeFileSync(changed, readFileSync(SNAPSHOT, "utf8").replace("model Counter {", "model Counter {\n  probe String?"));
    const r = schemaDiff(SNAPSHOT, changed);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("Added column `probe`");
  }, 60_000);
});

describe.each(testProviders())("database on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  }, 60_000);
  afterAll(async () => t?.drop());

  it("applies migrations once (a second run applies nothing)", async () => {
    const again = await migrateDatabase(t.url);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(listMigrations(provider).map((m) => m.name));
  });

  it("refuses to run a migration that changed after it was applied", async () => {
    const { mkdtempSync, cpSync, appendFileSync } = await import("node:fs");
    const { join, dirname } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { fileURLToPath } = await import("node:url");
    const root = mkdtempSync(join(tmpdir(), "haki-mig-"));
    cpSync(join(dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations"), root, { recursive: true });
    appendFileSync(join(root, provider, "0001_init", "migration.sql"), "\n-- edited\n");
    await expect(migrateDatabase(t.url, { root })).rejects.toMatchObject({ code: "ERR_MIGRATION_CHANGED" });
  });

  it("round-trips models, bytes and relations", async () => {
    const { db } = t;
    await db.registrySource.create({ data: { id: "src1", name: "Test registry", mapping: "{}" } });
    await db.beneficiary.create({
      data: { id: "b1", ref: "HK-0001", sourceId: "src1", registryIdHash: "h1", rowHash: "r1", householdSize: 4 },
    });
    await db.programme.create({
      data: { id: "p1", code: "cash", name: "Cash", benefitType: "cash", currency: "KES", createdBy: "u" },
    });
    await db.cycle.create({
      data: {
        id: "c1",
        programmeId: "p1",
        code: "2027-03",
        validFrom: new Date("2027-03-01T00:00:00Z"),
        validUntil: new Date("2027-04-01T00:00:00Z"),
        amount: "1500.00",
        rule: "{}",
        preparedBy: "u",
      },
    });
    await db.entitlement.create({ data: { id: "e1", cycleId: "c1", beneficiaryId: "b1", statusList: 1, statusIndex: 0 } });
    const bits = new Uint8Array([1, 2, 255, 0]);
    await db.statusList.create({ data: { id: "1-revocation", list: 1, purpose: "revocation", size: 32, bits } });
    const sl = await db.statusList.findUniqueOrThrow({ where: { id: "1-revocation" } });
    expect([...sl.bits]).toEqual([1, 2, 255, 0]);
    const e = await db.entitlement.findUniqueOrThrow({ where: { id: "e1" }, include: { cycle: true, beneficiary: true } });
    expect(e.cycle.validFrom.toISOString()).toBe("2027-03-01T00:00:00.000Z");
    expect(e.beneficiary.householdSize).toBe(4);
  });

  it("keeps one entitlement per cycle and beneficiary, and one holder per status index", async () => {
    await expect(
      t.db.entitlement.create({ data: { id: "e2", cycleId: "c1", beneficiaryId: "b1", statusList: 1, statusIndex: 1 } }),
    ).rejects.toMatchObject({ code: "P2002" });
    await t.db.beneficiary.create({ data: { id: "b2", ref: "HK-0002", sourceId: "src1", registryIdHash: "h2", rowHash: "r2" } });
    await expect(
      t.db.entitlement.create({ data: { id: "e3", cycleId: "c1", beneficiaryId: "b2", statusList: 1, statusIndex: 0 } }),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(await t.db.entitlement.count()).toBe(1);
  });

  it("stores a receipt id once", async () => {
    const data = { id: "rcpt-1", entitlementKey: "k", programme: "p", cycleCode: "c", beneficiaryRef: "HK-1", servicePoint: "SP-1", device: "d1", redeemedAt: new Date(), jws: "x.y.z" };
    await t.db.receipt.create({ data });
    await expect(t.db.receipt.create({ data })).rejects.toMatchObject({ code: "P2002" });
  });

  it("refuses to update or delete audit events (append-only)", async () => {
    await t.db.auditEvent.create({ data: { seq: 1, at: new Date(), action: "test", details: "{}", prevHash: "0", hash: "h" } });
    await expect(t.db.auditEvent.updateMany({ data: { action: "changed" } })).rejects.toThrow(/append-only/);
    await expect(t.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect((await t.db.auditEvent.findFirstOrThrow()).action).toBe("test");
  });

  it("runs interactive transactions and rolls back on error", async () => {
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.counter.create({ data: { name: "rollback", value: 1 } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await t.db.counter.findUnique({ where: { name: "rollback" } })).toBeNull();
  });
});

describe.skipIf(!testProviders().includes("postgresql"))("PostgreSQL connections", () => {
  it("run the requests' queries without parallel workers, and options given in the URL still apply (the operator's win)", async () => {
    const t = await createTestDatabase("postgresql");
    const show = async (db: ReturnType<typeof createDb>, name: string) => ((await db.$queryRawUnsafe<Record<string, string>[]>(`SHOW ${name}`))[0] ?? {})[name];
    const url = new URL(t.url);
    url.searchParams.set("options", "-c statement_timeout=4321 -c max_parallel_workers_per_gather=1");
    const tuned = createDb(url.toString(), { poolSize: 1 });
    try {
      expect(await show(t.db, "max_parallel_workers_per_gather")).toBe("0");
      expect(await show(tuned, "statement_timeout")).toBe("4321ms");
      expect(await show(tuned, "max_parallel_workers_per_gather")).toBe("1");
    } finally {
      await tuned.$disconnect();
      await t.drop();
    }
  });
});
