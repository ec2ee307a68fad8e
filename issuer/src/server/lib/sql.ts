/**
 * Hand-written reads through Prisma's raw query API, in the dialect of the database in use: the
 * console's paged lists and counts at a million rows need SQL Prisma's query builder cannot write
 * (keyset conditions over joins, EXISTS filters, grouped counts), and the placeholders, booleans and
 * dates differ between SQLite and PostgreSQL. `@haki/db/bulk`'s dialect builds the parameters.
 */
import { databaseProvider, type DbProvider } from "@haki/db";
import { openBackgroundReader, sqlDialect, type BackgroundReader, type SqlParams } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";

/** Parameters for one statement, plus the few spellings that differ between the databases. */
export interface SqlBuilder extends SqlParams {
  readonly provider: DbProvider;
  /** A boolean literal the way the column stores it (SQLite: 1 / 0); no parameter, so the text can be reused. */
  bool(value: boolean): string;
  /** The calendar day (UTC, YYYY-MM-DD) of a DateTime column, as text. */
  day(column: string): string;
  /** A decimal text column as a number the database can add up. */
  decimal(column: string): string;
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
    bool: (v) => (provider === "sqlite" ? (v ? "1" : "0") : v ? "true" : "false"),
    // SQLite keeps Prisma DateTimes as ISO text: the first ten characters are the UTC day.
    day: (c) => (provider === "sqlite" ? `substr(${c}, 1, 10)` : `to_char(${c}, 'YYYY-MM-DD')`),
    // SQLite adds doubles (exact to the cent for sums of two-decimal values up to about 10^13);
    // PostgreSQL adds exact numerics.
    decimal: (c) => (provider === "sqlite" ? `CAST(${c} AS REAL)` : `CAST(${c} AS NUMERIC)`),
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

const readers = new Map<string, BackgroundReader>();

/**
 * Runs a long read (a scan of a large table for counts or sums) off the request thread: on SQLite
 * through a background reader's worker thread (a synchronous two-second scan would hold every other
 * console request), on PostgreSQL as any other query.
 *
 * @example
 * const rows = await queryRowsInBackground(ctx, (p) => `SELECT "status", count(*) AS "n" FROM "Entitlement" WHERE "cycleId" = ${p.add(id)} GROUP BY "status"`);
 */
export async function queryRowsInBackground<T>(ctx: ServerContext, build: (p: SqlBuilder) => string): Promise<T[]> {
  if (providerOf(ctx) !== "sqlite") return queryRows(ctx, build);
  const url = ctx.env.DATABASE_URL;
  let reader = readers.get(url);
  if (!reader) readers.set(url, (reader = openBackgroundReader(url)));
  const p = sqlParams(ctx);
  const sql = build(p);
  return reader.query<T>(sql, p.values);
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

/**
 * A sum of decimals read back by a raw query, as decimal text with at most two decimals.
 *
 * @example
 * asDecimalText(7501.499999999); // "7501.5"
 */
export function asDecimalText(v: unknown): string {
  if (v === null || v === undefined) return "0";
  const n = Number(v);
  return Number.isFinite(n) ? String(Math.round(n * 100) / 100) : "0";
}

/** A boolean read back by a raw query (SQLite: 0 / 1). */
export function asBool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === "1" || v === "t";
}

/** An optional text read back by a raw query (missing: null). */
export function asOptionalText(v: unknown): string | null {
  return (v as string | null) ?? null;
}

/** An optional integer read back by a raw query (missing: null). */
export function asOptionalNumber(v: unknown): number | null {
  return v === null || v === undefined ? null : asNumber(v);
}

/** How each kind of column is read back from a raw row. */
const COLUMN_READERS = {
  text: (v: unknown) => String(v),
  optionalText: asOptionalText,
  number: asNumber,
  optionalNumber: asOptionalNumber,
  date: asDate,
  optionalDate: asOptionalDate,
  bool: asBool,
};
export type ColumnKind = keyof typeof COLUMN_READERS;

/** The object a row mapper makes of columns of these kinds. */
export type RowOf<S extends Record<string, ColumnKind>> = { [K in keyof S]: ReturnType<(typeof COLUMN_READERS)[S[K]]> };

/**
 * The mapper of raw rows (either database's value types) to typed objects, one reader per column.
 *
 * @example
 * const toHit = rowMapper({ id: "text", area: "optionalText", householdSize: "optionalNumber" });
 * toHit({ id: "0190…", area: null, householdSize: 4n }); // { id: "0190…", area: null, householdSize: 4 }
 */
export function rowMapper<S extends Record<string, ColumnKind>>(columns: S): (r: Record<string, unknown>) => RowOf<S> {
  const readers = Object.entries(columns).map(([name, kind]) => [name, COLUMN_READERS[kind]] as const);
  return (r) => {
    const out: Record<string, unknown> = {};
    for (const [name, read] of readers) out[name] = read(r[name]);
    return out as RowOf<S>;
  };
}
