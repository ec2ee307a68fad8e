/**
 * Throwaway databases for tests: a temp SQLite file always, and a fresh PostgreSQL database per
 * call when HAKI_TEST_PG_URL names a server (scripts/pg-test.sh starts one). Test files loop over
 * `testProviders()` so every database test runs on both profiles.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDb, type Db } from "./index";
import { migrateDatabase } from "./migrate";
import type { DbProvider } from "./provider";

export interface TestDatabase {
  provider: DbProvider;
  url: string;
  db: Db;
  /** Disconnects and removes the database. */
  drop(): Promise<void>;
}

/**
 * The providers to test on: always SQLite, plus PostgreSQL when HAKI_TEST_PG_URL is set.
 *
 * @example
 * describe.each(testProviders())("entitlements on %s", (provider) => { ... });
 */
export function testProviders(): DbProvider[] {
  return process.env.HAKI_TEST_PG_URL ? ["sqlite", "postgresql"] : ["sqlite"];
}

/**
 * Creates, migrates and opens an empty database.
 *
 * @example
 * const t = await createTestDatabase("sqlite");
 * await t.db.user.count(); // 0
 * await t.drop();
 */
export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "haki-db-"));
    const url = `file:${join(dir, "test.db")}`;
    return openMigrated(provider, url, {}, async () => rmSync(dir, { recursive: true, force: true }));
  }
  const admin = process.env.HAKI_TEST_PG_URL;
  if (!admin) throw new Error("HAKI_TEST_PG_URL is not set: run scripts/pg-test.sh");
  const name = `haki_t_${randomBytes(6).toString("hex")}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  return openMigrated(provider, url, { poolSize: 4 }, async () => {
    await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
}

/** Migrates the database at `url` and opens it; `drop` disconnects, then runs `remove`. */
async function openMigrated(provider: DbProvider, url: string, options: Parameters<typeof createDb>[1], remove: () => Promise<void>): Promise<TestDatabase> {
  await migrateDatabase(url);
  const db = createDb(url, options);
  return {
    provider,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await remove();
    },
  };
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}
