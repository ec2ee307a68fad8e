/**
 * The SQLite side of `@haki/db/bulk`: better-sqlite3 on the issuer's database file. Tuned for
 * page-sized multi-row writes with other processes (workers, the console) on the same file.
 */
import Database from "better-sqlite3";
import { sqlitePath } from "../provider";
import { startBackgroundCheckpoints } from "./checkpoint";
import { batchAsChain, collectParams, type BulkOptions, type BulkSql, type ChainItem, type SqlDialect, type SqlParams, type StatementResult } from "./types";

/** SQLite's dialect: positional `?`, dates as ISO 8601 text with an offset (as Prisma writes them). */
export const sqliteDialect: SqlDialect = {
  provider: "sqlite",
  params: (): SqlParams => collectParams(() => "?", (at) => at.toISOString().replace("Z", "+00:00")),
  isUniqueViolation(e, table, column) {
    const err = e as { code?: unknown; message?: unknown } | null;
    return (
      err?.code === "SQLITE_CONSTRAINT_UNIQUE" &&
      typeof err.message === "string" &&
      new RegExp(`\\b${table}\\.${column}\\b`).test(err.message)
    );
  },
};

/** A connection that checkpoints for itself does so past this many WAL pages (64 MB). */
const AUTOCHECKPOINT_PAGES = 16384;

/** Prepared statements kept per connection. */
const STATEMENT_CACHE = 256;

/** How long a statement waits for another writer's lock before it fails. */
const BUSY_DEADLINE_MS = 60_000;

/**
 * Opens the database file of a `file:` URL.
 *
 * @example
 * const bulk = openSqliteBulk("file:./.data/haki.db", { backgroundCheckpoints: true });
 */
export function openSqliteBulk(url: string, options: BulkOptions = {}): BulkSql {
  // No busy wait inside the driver: it would block this thread, and with it the other connection
  // of this process (Prisma's) that may hold the lock between two awaits. Wait in `retry` instead.
  const file = sqlitePath(url);
  const db = new Database(file, { timeout: 0 });
  // WAL is set by the migration (it lives in the file); NORMAL syncs at checkpoints, not at
  // every commit: a power cut may lose the last pages, which the job redoes (idempotent writes).
  db.pragma("synchronous = NORMAL");
  // A million-row cycle's indexes outgrow SQLite's default 2 MB page cache many times over.
  db.pragma("cache_size = -65536");
  // Signed pages append about 1.2 MB each to the WAL: checkpoint every 64 MB rather than every
  // 4 MB (fewer syncs, and index pages rewritten by consecutive pages are copied back once).
  const autocheckpoint = () => db.open && db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  if (options.backgroundCheckpoints) db.pragma("wal_autocheckpoint = 0");
  else autocheckpoint();
  const checkpoints = options.backgroundCheckpoints ? startBackgroundCheckpoints(file, { onExit: autocheckpoint }) : undefined;
  // Reads through a memory map instead of a read() call per page.
  db.pragma("mmap_size = 268435456");
  // The statements prepared last, most recent last (a Map keeps insertion order). Batches of every
  // size have texts of their own: a cache emptied when full re-prepared the hot statements too.
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let s = cache.get(sql);
    if (s) cache.delete(sql);
    else {
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      s = db.prepare(sql);
    }
    cache.set(sql, s);
    return s;
  };
  // The transaction body is synchronous: an await inside it would let another connection of this
  // process block the thread on SQLite's lock while we hold it.
  const runChain = db.transaction((items: ChainItem[]) => {
    const results: StatementResult[] = [];
    for (const item of items) {
      const st = typeof item === "function" ? item(results) : item;
      const statement = prepared(st.sql);
      results.push(
        statement.reader
          ? ((rows) => ({ changes: rows.length, rows }))(statement.all(...st.params) as Record<string, unknown>[])
          : { changes: statement.run(...st.params).changes, rows: [] },
      );
    }
    return results;
  });
  const retry = async <T>(f: () => T): Promise<T> => {
    const deadline = Date.now() + BUSY_DEADLINE_MS;
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
    ...sqliteDialect,
    query: <T>(sql: string, params: unknown[]) => retry(() => prepared(sql).all(...params) as T[]),
    batch: (statements) => retry(() => runChain.immediate(batchAsChain(statements)).map((r) => r.changes)),
    chain: (items) => retry(() => runChain.immediate(items)),
    close: async () => {
      await checkpoints?.stop();
      db.close();
    },
  };
}
