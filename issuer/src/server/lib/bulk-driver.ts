/**
 * A direct driver connection for the hot statements of the bulk paths (issuance, registry import).
 * Prisma passes every raw query's parameters through its query compiler: about 10 µs per
 * parameter, so a page of 1,000 signed credentials cost 25-100 ms to store against 5 ms in
 * better-sqlite3 itself. Everything else the issuer does stays on Prisma; only the pages read and
 * written a million times over come here.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, type DbProvider } from "@haki/db";

/** The n-th (1-based) placeholder of a statement: `$n` on PostgreSQL, `?` on SQLite (positional). */
export const placeholder = (provider: DbProvider) => (n: number) =>
  provider === "postgresql" ? `$${n}` : "?";

/**
 * Adds a DateTime parameter as Prisma stores it (ISO 8601 text with an offset on SQLite,
 * timestamp(3) on PostgreSQL) and returns its placeholder.
 *
 * @example
 * const params: unknown[] = [];
 * const sql = `UPDATE "ImportRun" SET "finishedAt" = ${dateParam("sqlite", params, new Date())}`;
 */
export function dateParam(provider: DbProvider, params: unknown[], at: Date): string {
  const p = placeholder(provider);
  return provider === "postgresql"
    ? `${p(params.push(at.toISOString()))}::timestamp(3)`
    : p(params.push(at.toISOString().replace("Z", "+00:00")));
}

export interface Statement {
  sql: string;
  params: unknown[];
}

export type BatchItem = Statement | ((changed: number[]) => Statement);

const build = (item: BatchItem, changed: number[]): Statement =>
  typeof item === "function" ? item(changed) : item;

/** Raw SQL on the issuer's database, with the provider's placeholders (`?` or `$n`). */
export interface BulkSql {
  provider: DbProvider;
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
  /** Runs the statements in one transaction; returns the rows each one changed. A statement given
   * as a function is built from the counts of those before it (progress that adds what was stored). */
  batch(statements: BatchItem[]): Promise<number[]>;
  close(): Promise<void>;
}

function openSqlite(url: string): BulkSql {
  // No busy wait inside the driver: it would block this thread, and with it the other connection
  // of this process (Prisma's) that may hold the lock between two awaits. Wait here instead.
  const db = new Database(url.replace(/^file:/, "").replace(/\?.*$/, ""), { timeout: 0 });
  // WAL is set by the migration (it lives in the file); NORMAL syncs at checkpoints, not at
  // every commit: a power cut may lose the last pages, which the job redoes (idempotent writes).
  db.pragma("synchronous = NORMAL");
  // A million-row cycle's indexes outgrow SQLite's default 2 MB page cache many times over.
  db.pragma("cache_size = -65536");
  // Signed pages append about 1.2 MB each to the WAL: checkpoint every 64 MB rather than every
  // 4 MB (fewer syncs, and index pages rewritten by consecutive pages are copied back once).
  db.pragma("wal_autocheckpoint = 16384");
  // Reads through a memory map instead of a read() call per page.
  db.pragma("mmap_size = 268435456");
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      if (cache.size > 32) cache.clear();
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  // The transaction body is synchronous: an await inside it would let another connection of this
  // process block the thread on SQLite's lock while we hold it.
  const run = db.transaction((statements: BatchItem[]) => {
    const changed: number[] = [];
    for (const item of statements) {
      const st = build(item, changed);
      changed.push(prepared(st.sql).run(...st.params).changes);
    }
    return changed;
  });
  const retry = async <T>(f: () => T): Promise<T> => {
    const deadline = Date.now() + 60_000;
    // Short waits: the other writer's transaction lasts a few milliseconds, a long sleep idles a core.
    for (let wait = 1; ; wait = Math.min(wait * 2, 8)) {
      try {
        return f();
      } catch (e) {
        if ((e as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };
  return {
    provider: "sqlite",
    query: <T>(sql: string, params: unknown[]) => retry(() => prepared(sql).all(...params) as T[]),
    batch: (statements) => retry(() => run.immediate(statements)),
    close: async () => void db.close(),
  };
}

const pools = new Map<string, pg.Pool>();

function openPostgres(url: string): BulkSql {
  // One small pool per database and process; idle connections close, so it holds nothing between jobs.
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: 2,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    pool.on("error", () => undefined); // an idle connection dropped by the server: the next query reconnects
    pools.set(url, pool);
  }
  const p = pool;
  return {
    provider: "postgresql",
    query: async <T>(sql: string, params: unknown[]) => (await p.query(sql, params)).rows as T[],
    async batch(statements) {
      const client = await p.connect();
      try {
        await client.query("BEGIN");
        const out: number[] = [];
        for (const item of statements) {
          const st = build(item, out);
          out.push((await client.query(st.sql, st.params)).rowCount ?? 0);
        }
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: async () => undefined,
  };
}

/**
 * Opens a bulk connection for a DATABASE_URL. Close it when the job ends.
 *
 * @example
 * const bulk = openBulkSql(ctx.env.DATABASE_URL);
 * try { await bulk.batch([{ sql: "UPDATE ...", params }]); } finally { await bulk.close(); }
 */
export function openBulkSql(url: string): BulkSql {
  return databaseProvider(url) === "sqlite" ? openSqlite(url) : openPostgres(url);
}
