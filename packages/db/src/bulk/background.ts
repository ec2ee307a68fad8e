/**
 * Reads that scan a million rows (a cycle's counts, the dashboard's series, a settlement's totals)
 * without stopping the web process. better-sqlite3 answers synchronously, so a two-second scan on
 * the issuer's thread would hold every other console request for two seconds: on SQLite these
 * reads run on a worker thread with its own read-only connection (WAL lets it read while others
 * write). PostgreSQL's driver is asynchronous already: its reads go through the bulk pool.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { databaseProvider, sqlitePath } from "../provider";
import { openPostgresBulk } from "./postgresql";

/** A connection for long reads off the request thread. */
export interface BackgroundReader {
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

// The worker's whole program: one read-only connection, one statement per message.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 15000 });
db.pragma("cache_size = -65536");
db.pragma("mmap_size = 268435456");
parentPort.on("message", ({ id, sql, params }) => {
  try {
    parentPort.postMessage({ id, rows: db.prepare(sql).all(...params) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

/**
 * Where the worker loads better-sqlite3 from. A bundler (Next's server build) may replace the
 * resolved path by a module number: the worker then resolves the name from the working directory.
 */
export function driverPath(): string {
  try {
    const resolved: unknown = createRequire(import.meta.url).resolve("better-sqlite3");
    return typeof resolved === "string" ? resolved : "better-sqlite3";
  } catch {
    return "better-sqlite3";
  }
}

function openSqliteBackground(url: string): BackgroundReader {
  const worker = new Worker(WORKER, { eval: true, workerData: { file: sqlitePath(url), driver: driverPath() } });
  worker.unref();
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on("message", (m: { id: number; rows?: unknown[]; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.rows ?? []);
  });
  worker.on("error", failAll);
  worker.on("exit", () => failAll(new Error("the background reader stopped")));
  return {
    query<T>(sql: string, params: unknown[]) {
      return new Promise<T[]>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        // Dates and booleans as the SQLite dialect binds them (the caller's parameters already are).
        worker.ref();
        worker.postMessage({ id, sql, params });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      });
    },
    close: () => worker.terminate().then(() => undefined),
  };
}

/**
 * A background reader for a DATABASE_URL (SQLite: a worker thread; PostgreSQL: the bulk pool).
 * Statements use the dialect of `sqlDialect(provider)`.
 *
 * @example
 * const reader = openBackgroundReader(url);
 * const rows = await reader.query<{ n: number }>(`SELECT count(*) AS "n" FROM "Entitlement" WHERE "cycleId" = ?`, [id]);
 */
export function openBackgroundReader(url: string): BackgroundReader {
  if (databaseProvider(url) === "sqlite") return openSqliteBackground(url);
  const bulk = openPostgresBulk(url);
  return { query: (sql, params) => bulk.query(sql, params), close: () => bulk.close() };
}
