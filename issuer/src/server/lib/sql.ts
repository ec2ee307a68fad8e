/**
 * Hand-written reads through Prisma's raw query API, in the dialect of the database in use: the
 * console's paged lists and counts at a million rows need SQL Prisma's query builder cannot write
 * (keyset conditions over joins, EXISTS filters, grouped counts), and the placeholders, booleans and
 * dates differ between SQLite and PostgreSQL. `@haki/db/bulk`'s dialect builds the parameters.
 */
import { databaseProvider, type DbProvider } from "@haki/db";
import { sqlDialect, type SqlParams } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";

/** Parameters for one statement, plus the few spellings that differ between the databases. */
export interface SqlBuilder extends SqlParams {
  readonly provider: DbProvider;
  /** A boolean the way the column stores it (SQLite: 1 / 0). */
  bool(value: boolean): string;
  /** The calendar day (UTC, YYYY-MM-DD) of a DateTime column, as text. */
  day(column: string): string;
}

/** The database provider of a context. */
export function providerOf(ctx: ServerContext): DbProvider {
  return databaseProvider(ctx.env.DATABASE_URL);
}

/**
 * Fresh parameters in the dialect of the context's database.
 *
 * @example
 * const p = sqlParams(ctx);
 * const where = `"cycleId" = ${p.add(id)} AND "doubleRedemption" = ${p.bool(true)}`;
 */
export function sqlParams(ctx: ServerContext): SqlBuilder {
  const provider = providerOf(ctx);
  const p = sqlDialect(provider).params();
  return {
    provider,
    get values() {
      return p.values;
    },
    add: p.add,
    date: p.date,
    int: p.int,
    bool: (v) => (provider === "sqlite" ? p.add(v ? 1 : 0) : `${p.add(v)}::boolean`),
    // SQLite keeps Prisma DateTimes as ISO text: the first ten characters are the UTC day.
    day: (c) => (provider === "sqlite" ? `substr(${c}, 1, 10)` : `to_char(${c}, 'YYYY-MM-DD')`),
  };
}

/**
 * Runs a read built with `sqlParams`.
 *
 * @example
 * const rows = await queryRows<{ n: number }>(ctx, (p) => `SELECT count(*) AS "n" FROM "Grievance" WHERE "status" = ${p.add("open")}`);
 */
export async function queryRows<T>(ctx: ServerContext, build: (p: SqlBuilder) => string): Promise<T[]> {
  const p = sqlParams(ctx);
  const sql = build(p);
  return ctx.db.$queryRawUnsafe<T[]>(sql, ...p.values);
}

/** A DateTime read back by a raw query (SQLite: ISO text; PostgreSQL: a Date). */
export function asDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

/** An optional DateTime read back by a raw query. */
export function asOptionalDate(v: unknown): Date | null {
  return v === null || v === undefined ? null : asDate(v);
}

/** A count or integer read back by a raw query (bigint on both drivers for count(*)). */
export function asNumber(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** A boolean read back by a raw query (SQLite: 0 / 1). */
export function asBool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === "1" || v === "t";
}
