/**
 * The bulk SQL seam: one interface, one implementation per database (`sqlite.ts`, `postgresql.ts`).
 * What differs between the two databases (placeholders, how a date or an integer is bound, how a
 * unique-key clash looks, how a transaction runs) stays behind it, so the statements in
 * `issuance.ts` and `registry-import.ts` are written once.
 */
import type { DbProvider } from "../provider";

/** One SQL statement and its parameters, in the dialect of the connection that built it. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** A statement, or one built from the row counts of the statements before it in the same batch. */
export type BatchItem = Statement | ((changed: number[]) => Statement);

/** What a statement of a chain gave: the rows it changed, and the rows it returned (SELECT, RETURNING). */
export interface StatementResult {
  /** Rows changed (for a statement that returns rows: how many it returned). */
  changes: number;
  rows: Record<string, unknown>[];
}

/**
 * A statement of a chain, or one built from the results of those before it (a counter read back
 * with RETURNING, a row selected). A builder that throws rolls the whole chain back.
 */
export type ChainItem = Statement | ((results: StatementResult[]) => Statement);

/**
 * A statement's parameters. Add them in the order their placeholders appear in the text: SQLite's
 * `?` are positional.
 */
export interface SqlParams {
  readonly values: unknown[];
  /** Adds a value and returns its placeholder. */
  add(value: unknown): string;
  /** Adds a DateTime the way Prisma stores it (so Prisma reads it back as the same instant). */
  date(at: Date): string;
  /** Adds an integer PostgreSQL must read as `int` where it cannot infer a type (a VALUES list). */
  int(value: number): string;
}

/**
 * A parameter list in which each dialect only says how the n-th placeholder (1-based) is written,
 * with the type PostgreSQL must be told, and how a DateTime is stored.
 */
export function collectParams(placeholder: (n: number, cast?: "date" | "int") => string, dateText: (at: Date) => string): SqlParams {
  const values: unknown[] = [];
  return {
    values,
    add: (v) => placeholder(values.push(v)),
    date: (at) => placeholder(values.push(dateText(at)), "date"),
    int: (v) => placeholder(values.push(v), "int"),
  };
}

/** How SQL is written for one database. */
export interface SqlDialect {
  readonly provider: DbProvider;
  /** A fresh parameter list. */
  params(): SqlParams;
  /** True when `e` is a unique-key clash on `table`.`column` (a single-column unique index). */
  isUniqueViolation(e: unknown, table: string, column: string): boolean;
}

/** How a bulk connection is opened. */
export interface BulkOptions {
  /**
   * SQLite: this connection's commits never checkpoint the WAL; a worker thread does
   * (`startBackgroundCheckpoints`), so a long-lived connection on a request thread never stops it
   * for a checkpoint. PostgreSQL: no effect.
   */
  backgroundCheckpoints?: boolean;
}

/** A direct driver connection for the hot statements of the bulk paths. */
export interface BulkSql extends SqlDialect {
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
  /**
   * Runs the statements in one transaction and returns the rows each one changed. A statement
   * given as a function is built from the counts of those before it (progress that adds what was
   * stored). Any failure rolls the whole batch back.
   */
  batch(statements: BatchItem[]): Promise<number[]>;
  /**
   * Like `batch`, with each statement's returned rows too, so a later statement can be built from
   * what an earlier one read. One transaction; on SQLite one synchronous call (no other statement
   * of this process runs in the middle, and the write lock is never held across an await).
   */
  chain(items: ChainItem[]): Promise<StatementResult[]>;
  close(): Promise<void>;
}

/** A batch as a chain (its builders see the counts), and the counts of the chain's results. */
export const batchAsChain = (items: BatchItem[]): ChainItem[] =>
  items.map((item) => (typeof item === "function" ? (results: StatementResult[]) => item(results.map((r) => r.changes)) : item));
