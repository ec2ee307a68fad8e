/**
 * Applies the SQL migrations in prisma/migrations/<provider>/ in name order, each in a
 * transaction, recording them in `_haki_migrations` with a checksum. Idempotent: running it again
 * applies nothing; several processes starting at once take turns (advisory lock on PostgreSQL, a
 * write transaction on SQLite). Prisma's own `migrate deploy` cannot run here on PostgreSQL with
 * the Wasm engine (see the shared environment notes), hence this small runner.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { DbError } from "./errors";
import { databaseProvider, sqlitePath, type DbProvider } from "./provider";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  provider: DbProvider;
  applied: string[];
  skipped: string[];
}

const MIGRATIONS_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");
// Any constant works; it only has to be the same in every process of one deployment.
const PG_LOCK_KEY = 727_104_001;

/**
 * Reads the migrations of one provider, in order.
 *
 * @example
 * listMigrations("sqlite").map((m) => m.name); // ["0001_init", "0002_audit_append_only"]
 */
export function listMigrations(provider: DbProvider, root: string = MIGRATIONS_ROOT): Migration[] {
  const dir = join(root, provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Brings the database at `url` up to date.
 *
 * @example
 * const { applied } = await migrateDatabase("file:./.data/haki.db");
 */
export async function migrateDatabase(url: string, options: { root?: string } = {}): Promise<MigrateResult> {
  const provider = databaseProvider(url);
  const migrations = listMigrations(provider, options.root);
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

function checkRecorded(m: Migration, recorded: string | undefined): boolean {
  if (recorded === undefined) return false;
  if (recorded !== m.checksum) {
    throw new DbError(
      "ERR_MIGRATION_CHANGED",
      `Migration ${m.name} was changed after it was applied; add a new migration instead`,
    );
  }
  return true;
}

function migrateSqlite(url: string, migrations: Migration[]): MigrateResult {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 15_000 });
  const result: MigrateResult = { provider: "sqlite", applied: [], skipped: [] };
  try {
    // WAL lets the console read while an import or an issuance job writes; it persists in the file.
    db.pragma("journal_mode = WAL");
    db.exec(
      `CREATE TABLE IF NOT EXISTS "_haki_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`,
    );
    const find = db.prepare<[string], { checksum: string }>(`SELECT "checksum" FROM "_haki_migrations" WHERE "name" = ?`);
    const record = db.prepare(`INSERT INTO "_haki_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`);
    for (const m of migrations) {
      // IMMEDIATE takes the write lock first, so a second process waits and then sees the record.
      const apply = db.transaction(() => {
        if (checkRecorded(m, find.get(m.name)?.checksum)) return false;
        db.exec(m.sql);
        record.run(m.name, m.checksum, new Date().toISOString());
        return true;
      });
      try {
        (apply.immediate() ? result.applied : result.skipped).push(m.name);
      } catch (e) {
        if (e instanceof DbError) throw e;
        throw new DbError("ERR_MIGRATION_FAILED", `Migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
      }
    }
  } finally {
    db.close();
  }
  return result;
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const result: MigrateResult = { provider: "postgresql", applied: [], skipped: [] };
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "_haki_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL)`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "_haki_migrations"`);
    const recorded = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of migrations) {
      if (checkRecorded(m, recorded.get(m.name))) {
        result.skipped.push(m.name);
        continue;
      }
      try {
        await client.query("BEGIN");
        await client.query(m.sql);
        await client.query(`INSERT INTO "_haki_migrations" ("name", "checksum", "appliedAt") VALUES ($1, $2, now())`, [
          m.name,
          m.checksum,
        ]);
        await client.query("COMMIT");
        result.applied.push(m.name);
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new DbError("ERR_MIGRATION_FAILED", `Migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return result;
}
