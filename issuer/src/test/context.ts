/**
 * Test helpers: a migrated throwaway database, a server context on it with a frozen, steppable
 * clock, and users for each role (cheap scrypt parameters: the hashing itself is tested apart).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@haki/db/testing";
import type { DbProvider } from "@haki/db";
import { parseEnv } from "@/env";
import { createServerContext, setServerContext, type ServerContext } from "@/server/context";
import { createUser } from "@/server/auth/create-user";
import { createSession } from "@/server/auth/sessions";
import type { Actor, Role } from "@/server/auth/roles";
import { flushOid4vciRateLimiter } from "@/server/delivery/oid4vci-route";
import { closeDeliverySql } from "@/server/delivery/delivery-sql";
import { flushRateLimits } from "@/server/api/rate-limit";

export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

export interface TestContext {
  ctx: ServerContext;
  database: TestDatabase;
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
}

/**
 * The configuration of a throwaway issuer on `databaseUrl` (tests and benchmarks): fresh random
 * keys, a data folder of its own under the system's temporary folder, no in-process worker.
 */
export function throwawayIssuerEnv(databaseUrl: string, publicUrl: string, dataDirPrefix: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    HAKI_PUBLIC_URL: publicUrl,
    HAKI_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    HAKI_REGISTRY_HASH_KEY: randomBytes(32).toString("base64"),
    HAKI_DATA_DIR: mkdtempSync(join(tmpdir(), dataDirPrefix)),
    HAKI_INPROCESS_WORKER: "false",
  };
}

/**
 * @example
 * const t = await createTestContext();
 * afterAll(() => t.close());
 */
export async function createTestContext(
  provider: DbProvider = "sqlite",
  overrides: { env?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<TestContext> {
  const database = await createTestDatabase(provider);
  const clock = {
    now: new Date("2027-02-15T09:00:00Z"),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const env = parseEnv({ NODE_ENV: "test", ...throwawayIssuerEnv(database.url, "https://issuer.haki.test", "haki-issuer-"), ...overrides.env });
  const ctx = createServerContext(env, { db: database.db, now: () => clock.now, ...(overrides.fetch ? { fetch: overrides.fetch } : {}) });
  setServerContext(ctx);
  return {
    ctx,
    database,
    clock,
    async close() {
      // The limiters write their counts through the direct connection: flushed before it closes.
      await Promise.all([flushOid4vciRateLimiter(ctx), flushRateLimits(ctx)]);
      await closeDeliverySql(ctx);
      setServerContext(undefined);
      await database.drop();
    },
  };
}

let n = 0;

/**
 * A user with roles, and a signed-in session (cookie + CSRF token) for route handler tests.
 *
 * @example
 * const officer = await createTestUser(t.ctx, ["officer"]);
 * await fetchLike(handler, { headers: officer.headers });
 */
export async function createTestUser(
  ctx: ServerContext,
  roles: Role[],
  password = "correct horse battery staple",
): Promise<{ actor: Actor; password: string; cookie: string; csrf: string; headers: Record<string, string> }> {
  n++;
  const email = `${roles.join("-")}-${n}@haki.test`;
  const { id } = await createUser(ctx, { email, name: `Test ${roles.join(" ")} ${n}`, password, roles }, null, { scrypt: TEST_SCRYPT });
  const session = await createSession(ctx, id);
  const cookie = `haki_session=${session.token}`;
  return {
    actor: { id, email, name: `Test ${n}`, roles, locale: "en" },
    password,
    cookie,
    csrf: session.csrfToken,
    headers: { cookie, "x-csrf-token": session.csrfToken },
  };
}
