import { DbError } from "./errors";

export type DbProvider = "sqlite" | "postgresql";

/**
 * Which database a DATABASE_URL names: `file:` URLs are SQLite (the embedded default),
 * `postgres://` / `postgresql://` are PostgreSQL (the production profile).
 *
 * @example
 * databaseProvider("file:./.data/haki.db"); // "sqlite"
 */
export function databaseProvider(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new DbError("ERR_DB_URL_UNSUPPORTED", "DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

/** The file path of a SQLite `file:` URL (query string dropped). */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}
