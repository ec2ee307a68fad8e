/** Stable codes of the database package's failures. */
export type DbErrorCode =
  | "ERR_DB_URL_UNSUPPORTED"
  | "ERR_MIGRATION_CHANGED"
  | "ERR_MIGRATION_FAILED"
  /** A bulk statement was given input it cannot write (a programming error, not the data's). */
  | "ERR_BULK_INPUT"
  /** A counter the migrations create is missing (the database was not migrated). */
  | "ERR_BULK_COUNTER_MISSING";

/**
 * A database package failure with a stable `code`.
 *
 * @example
 * try { createDb("mysql://x") } catch (e) { if (e instanceof DbError) e.code; // "ERR_DB_URL_UNSUPPORTED" }
 */
export class DbError extends Error {
  readonly code: DbErrorCode;
  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DbError";
    this.code = code;
  }
}
