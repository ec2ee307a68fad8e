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

/** How SQL is written for one database. */
export interface SqlDialect {
  readonly provider: DbProvider;
  /** A fresh parameter list. */
  params(): SqlParams;
  /** True when `e` is a unique-key clash on `table`.`column` (a single-column unique index). */
  isUniqueViolation(e: unknown, table: string, column: string): boolean;
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
  close(): Promise<void>;
}

/** The statement of a batch item, given the counts of the items before it. */
export const buildStatement = (item: BatchItem, changed: number[]): Statement =>
  typeof item === "function" ? item(changed) : item;
