/**
 * The issuer's database: one Prisma model, two providers. `createDb(url)` picks the driver adapter
 * from the URL, so the same code runs on an embedded SQLite file or on PostgreSQL.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { databaseProvider } from "./provider";

export { DbError, type DbErrorCode } from "./errors";
export { databaseProvider, type DbProvider } from "./provider";
export type {
  ApiToken,
  AuditEvent,
  Beneficiary,
  Counter,
  Cycle,
  Entitlement,
  ImportRowError,
  ImportRun,
  IssuanceJob,
  IssuerKey,
  Offer,
  Programme,
  Receipt,
  RegistrySource,
  Session,
  StatusList,
  User,
  UserRole,
} from "./generated/sqlite/client";
export { Prisma } from "./generated/sqlite/client";

/**
 * The database client. Both providers are generated from one schema (prisma/schema.prisma), so
 * their model APIs are the same; the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
/** The client handed to `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Opens a database client for a DATABASE_URL (`file:...` or `postgresql://...`). Run
 * `migrateDatabase(url)` from `@haki/db/migrate` first.
 *
 * @example
 * const db = createDb("file:./.data/haki.db");
 * const n = await db.beneficiary.count();
 * await db.$disconnect();
 */
export function createDb(url: string, options: { poolSize?: number } = {}): Db {
  if (databaseProvider(url) === "sqlite") {
    // `timeout` is SQLite's busy timeout: a second process (an import, a worker) waits for the
    // write lock instead of failing at once.
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 15_000 }) });
  }
  // No parallel workers for the requests' queries: they are index walks of a page, and starting
  // two workers cost 60-85 ms of a 90 ms cycle page on a 2-core server (the same page ran in 17-25
  // ms without; bench:console). The background reader's scans of a million rows keep the server's
  // setting (@haki/db/bulk). Options given in the URL come after, so an operator's setting wins.
  const given = new URL(url).searchParams.get("options");
  const settings = ["-c max_parallel_workers_per_gather=0", given].filter(Boolean).join(" ");
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10, options: settings });
  // Same models, same generated API, different provider: see the `Db` type above.
  return new PgClient({ adapter }) as unknown as Db;
}
