/**
 * The PostgreSQL side of `@haki/db/bulk`: a small `pg` pool per database and process.
 */
import pg from "pg";
import { batchAsChain, collectParams, type BulkSql, type ChainItem, type SqlDialect, type SqlParams, type StatementResult } from "./types";

const POSTGRES_CASTS = { date: "::timestamp(3)", int: "::int" } as const;

/** PostgreSQL's dialect: numbered `$n`, dates cast to Prisma's `timestamp(3)`. */
export const postgresDialect: SqlDialect = {
  provider: "postgresql",
  params: (): SqlParams => collectParams((n, cast) => `$${n}${cast ? POSTGRES_CASTS[cast] : ""}`, (at) => at.toISOString()),
  isUniqueViolation(e, table, column) {
    const err = e as { code?: unknown; constraint?: unknown } | null;
    // Prisma names a single-column unique index <Table>_<column>_key.
    return err?.code === "23505" && err.constraint === `${table}_${column}_key`;
  },
};

const pools = new Map<string, pg.Pool>();

/**
 * Opens a bulk connection to a `postgresql://` URL. Connections come from a pool of two per URL
 * and process; idle ones close, so it holds nothing between jobs and `close` has nothing to do.
 *
 * @example
 * const bulk = openPostgresBulk("postgresql://haki@127.0.0.1/haki");
 */
export function openPostgresBulk(url: string): BulkSql {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on("error", () => undefined); // an idle connection dropped by the server: the next query reconnects
    pools.set(url, pool);
  }
  const p = pool;
  const chain = async (items: ChainItem[]): Promise<StatementResult[]> => {
    const [only] = items;
    if (items.length === 1 && typeof only !== "function") {
      // One statement is its own transaction: no BEGIN and COMMIT round trips.
      const r = await p.query(only!.sql, only!.params);
      return [{ changes: r.rowCount ?? 0, rows: r.rows as Record<string, unknown>[] }];
    }
    const client = await p.connect();
    try {
      await client.query("BEGIN");
      const results: StatementResult[] = [];
      for (const item of items) {
        const st = typeof item === "function" ? item(results) : item;
        const r = await client.query(st.sql, st.params);
        results.push({ changes: r.rowCount ?? 0, rows: r.rows as Record<string, unknown>[] });
      }
      await client.query("COMMIT");
      return results;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };
  return {
    ...postgresDialect,
    query: async <T>(sql: string, params: unknown[]) => (await p.query(sql, params)).rows as T[],
    batch: async (statements) => (await chain(batchAsChain(statements))).map((r) => r.changes),
    chain,
    close: async () => undefined,
  };
}
