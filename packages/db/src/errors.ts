/** Stable codes of the database package's failures. */
export type DbErrorCode = "ERR_DB_URL_UNSUPPORTED" | "ERR_MIGRATION_CHANGED" | "ERR_MIGRATION_FAILED";

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
