/**
 * `@haki/db/bulk`: direct driver connections for the hot statements of the issuer's bulk paths
 * (issuance, registry import), and those statements, written once for both databases. Everything
 * else the issuer does goes through Prisma (`@haki/db`); only pages read and written a million
 * times over come here, because Prisma's query compiler costs about 10 µs per bound value.
 */
import { databaseProvider, type DbProvider } from "../provider";
import { openPostgresBulk, postgresDialect } from "./postgresql";
import { openSqliteBulk, sqliteDialect } from "./sqlite";
import type { BulkOptions, BulkSql, SqlDialect } from "./types";

export type { BatchItem, BulkOptions, BulkSql, SqlDialect, SqlParams, Statement } from "./types";
export * from "./issuance";
export * from "./registry-import";
export { openBackgroundReader, type BackgroundReader } from "./background";
export * from "./delivery";
export { groupCommit } from "./group-commit";
export { groupTransactions } from "./grouped";

/**
 * Opens a bulk connection for a DATABASE_URL (`file:` or `postgresql://`). Close it when done.
 *
 * @example
 * const bulk = openBulkSql(ctx.env.DATABASE_URL);
 * try { await bulk.batch([progressStatement(bulk, { jobId, add: 1000, at: new Date() })]); } finally { await bulk.close(); }
 */
export function openBulkSql(url: string, options: BulkOptions = {}): BulkSql {
  return databaseProvider(url) === "sqlite" ? openSqliteBulk(url, options) : openPostgresBulk(url);
}

/**
 * How SQL is written for a database, without a connection (to build statements ahead).
 *
 * @example
 * const p = sqlDialect("postgresql").params();
 * `WHERE "id" = ${p.add("x")}`; // WHERE "id" = $1
 */
export function sqlDialect(provider: DbProvider): SqlDialect {
  return provider === "sqlite" ? sqliteDialect : postgresDialect;
}
