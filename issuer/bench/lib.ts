/**
 * Shared by the issuer's benchmarks: a fresh database on either provider, a server context on it,
 * an approved cycle over N beneficiaries, the raw node:crypto rates, and the result file.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { cpus, loadavg, totalmem } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DbProvider } from "@haki/db";
import { createTestDatabase, type TestDatabase } from "@haki/db/testing";
import { createDb } from "@haki/db";
import { migrateDatabase } from "@haki/db/migrate";
import { parseEnv, type Env } from "@/env";
import { createServerContext, setServerContext, type ServerContext } from "@/server/context";
import { createUser } from "@/server/auth/create-user";
import { createProgramme } from "@/server/programmes/create-programme";
import { createCycle } from "@/server/cycles/create-cycle";
import { approveCycle, submitCycle } from "@/server/cycles/transition-cycle";
import { newId } from "@/server/lib/ids";
import { openBulkSql } from "@haki/db/bulk";
import type { Actor } from "@/server/auth/roles";
import { TEST_SCRYPT, throwawayIssuerEnv } from "@/test/context";
import { holderProof } from "@/test/holder-proof";
import type { HakiKeyPair } from "@haki/credentials/keys";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ISSUER = join(ROOT, "issuer");

/**
 * How a worker process starts, as `pnpm worker` starts it (issuer/package.json): a 64 MiB young
 * generation, because signing a page allocates a few MB of short-lived strings and the default
 * (16 MiB) made the worker spend about 9% of its time in garbage collection (about 6% faster).
 */
export const WORKER_NODE_ARGS = ["--max-semi-space-size=64", "--import", "tsx", join(ISSUER, "src/server/cli/worker.ts")];

/**
 * How the issuer's server starts (`pnpm start`, issuer/package.json): the same 64 MiB young
 * generation. Under 100 credential requests at a time garbage collection took 15% of the route
 * handler's CPU with the default and 8% with this (`pnpm bench:credential-handler` profiles).
 */
export const SERVER_NODE_OPTIONS = "--max-semi-space-size=64";

/** A throwaway PostgreSQL server URL: HAKI_BENCH_PG_URL, HAKI_TEST_PG_URL, or scripts/pg-test.sh. */
export function pgServerUrl(): string {
  const given = process.env.HAKI_BENCH_PG_URL ?? process.env.HAKI_TEST_PG_URL;
  if (given) return given;
  const url = execFileSync("bash", [join(ROOT, "scripts", "pg-test.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  process.env.HAKI_TEST_PG_URL = url;
  return url;
}

export interface BenchIssuer {
  database: TestDatabase;
  env: Env;
  /** What a worker process needs to work on the same database with the same keys. */
  childEnv: Record<string, string>;
  ctx: ServerContext;
  officer: Actor;
  approver: Actor;
  close(): Promise<void>;
}

/** The environment a bench's issuer server runs in: the bench's database and keys, production, no in-process worker. */
export function benchServerEnv(b: BenchIssuer, origin: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...b.childEnv, HAKI_PUBLIC_URL: origin, HAKI_INPROCESS_WORKER: "false", NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...extra };
}

/** A migrated empty database on the provider, a context on it, an officer and an approver. */
export async function openBenchIssuer(provider: DbProvider, overrides: Record<string, string> = {}): Promise<BenchIssuer> {
  if (provider === "postgresql") pgServerUrl();
  const database = await createTestDatabase(provider);
  const raw = {
    ...throwawayIssuerEnv(database.url, "https://issuer.bench.test", "haki-bench-"),
    ...overrides,
  };
  const env = parseEnv(raw);
  const ctx = createServerContext(env, { db: database.db });
  setServerContext(ctx);
  const mk = async (role: "officer" | "approver"): Promise<Actor> => {
    const email = `${role}@bench.test`;
    const { id } = await createUser(ctx, { email, name: role, password: "bench-password-123", roles: [role] }, null, { scrypt: TEST_SCRYPT });
    return { id, email, name: role, roles: [role], locale: "en" };
  };
  const officer = await mk("officer");
  const approver = await mk("approver");
  return { database, env, childEnv: raw, ctx, officer, approver, close: () => database.drop() };
}

/**
 * A bench issuer on a database an earlier run seeded and kept (its env holds the same keys), so a
 * measurement can be repeated on a quiet machine without seeding a million rows again. `close`
 * only disconnects: the database stays.
 */
export async function reopenBenchIssuer(
  kept: {
    provider: DbProvider;
    url: string;
    childEnv: Record<string, string>;
    officer: Actor;
    approver: Actor;
  },
  overrides: Record<string, string> = {},
): Promise<BenchIssuer> {
  if (kept.provider === "postgresql") pgServerUrl();
  await migrateDatabase(kept.url);
  const db = createDb(kept.url, kept.provider === "postgresql" ? { poolSize: 4 } : {});
  const raw = { ...kept.childEnv, ...overrides };
  const env = parseEnv(raw);
  const ctx = createServerContext(env, { db });
  setServerContext(ctx);
  const close = () => db.$disconnect();
  return {
    database: { provider: kept.provider, url: kept.url, db, drop: close },
    env,
    childEnv: raw,
    ctx,
    officer: kept.officer,
    approver: kept.approver,
    close,
  };
}

/** The benches' programme and cycle: cash, 2,500 KES to everyone in March 2027 (a draft). Returns the cycle id. */
export async function createBenchCycle(b: BenchIssuer): Promise<string> {
  const { id: programmeId } = await createProgramme(b.ctx, { code: "cash", name: "Cash transfer", benefitType: "cash", currency: "KES" }, b.officer);
  const cycle = { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "2500", rule: { all: [] } };
  return (await createCycle(b.ctx, cycle, b.officer)).id;
}

/**
 * Inserts n beneficiaries (pseudonymous rows as an import leaves them) in large transactions, and
 * an approved cash cycle for all of them. Returns the cycle id.
 */
export async function seedCycle(b: BenchIssuer, n: number): Promise<string> {
  const { db } = b.ctx;
  await db.registrySource.create({ data: { id: "bench", name: "bench", mapping: "{}" } });
  // Straight through the driver (Prisma's createMany costs ~10 µs per bound value): 500 rows a
  // statement, 20 statements a transaction.
  const bulk = openBulkSql(b.env.DATABASE_URL);
  const now = new Date();
  try {
    for (let i = 0; i < n; i += 10_000) {
      const statements = [];
      for (let s = i; s < Math.min(n, i + 10_000); s += 500) {
        const p = bulk.params();
        const rows: string[] = [];
        for (let k = s; k < Math.min(n, s + 500); k++) {
          const ref = `HK-${k.toString(36).toUpperCase().padStart(10, "0")}`;
          const area = `KE-0${String((k % 47) + 1).padStart(2, "0")}`;
          const cells = [newId(), ref, "bench", `h${k}`, "r", area, (k % 9) + 1, k % 2 === 0 ? `Person ${k}` : null].map(p.add);
          rows.push(`(${cells.join(", ")}, ${p.date(now)}, ${p.date(now)})`);
        }
        const sql =
          `INSERT INTO "Beneficiary" ("id", "ref", "sourceId", "registryIdHash", "rowHash", "area", "householdSize", "displayName", "createdAt", "updatedAt") ` +
          `VALUES ${rows.join(", ")}`;
        statements.push({ sql, params: p.values });
      }
      await bulk.batch(statements);
    }
  } finally {
    await bulk.close();
  }
  const cycleId = await createBenchCycle(b);
  const { digest } = await submitCycle(b.ctx, cycleId, b.officer);
  await approveCycle(b.ctx, { cycleId, digest }, b.approver);
  return cycleId;
}

/** Raw node:crypto Ed25519 sign and verify rates on one core, over `ms` each. */
export function rawEd25519Rates(ms = 1500): { raw_sign_per_s: number; raw_verify_per_s: number } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  // A payload the size of a Haki credential's signing input.
  const data = Buffer.from("x".repeat(900));
  const sig = sign(null, data, privateKey);
  const rate = (f: () => void) => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 100; i++) f();
      n += 100;
    }
    return Math.round(n / ((performance.now() - t0) / 1000));
  };
  return {
    raw_sign_per_s: rate(() => sign(null, data, privateKey)),
    raw_verify_per_s: rate(() => verify(null, data, publicKey, sig)),
  };
}

/** The machine, as BENCHMARKS.md records it next to every figure. */
export function machine(): {
  cpus: number;
  cpu: string;
  memory_gib: number;
  node: string;
  load_average: number[];
} {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_average: loadavg().map((x) => +x.toFixed(2)),
  };
}

/** Writes bench/results/<name>.json at the repo root. */
export function writeResult(name: string, result: unknown): string {
  const out = join(ROOT, "bench", "results");
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** bench/results/<name>.json as written before, or null. */
export function readResult(name: string): unknown {
  try {
    return JSON.parse(readFileSync(join(ROOT, "bench", "results", `${name}.json`), "utf8"));
  } catch {
    return null;
  }
}

/** `--name value` from argv, else the fallback. */
export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** The first positional argument as a count (accepts 1e6, 1_000_000, 100k, 1m). */
export function sizeArg(fallback: number): number {
  const a = process.argv.slice(2).find((x, i, all) => !x.startsWith("--") && !(all[i - 1] ?? "").startsWith("--"));
  if (!a) return fallback;
  const m = /^([\d_.e]+)([km]?)$/i.exec(a.trim());
  if (!m) throw new Error(`not a size: ${a}`);
  const n = Number(m[1]!.replaceAll("_", "")) * (m[2]?.toLowerCase() === "k" ? 1e3 : m[2]?.toLowerCase() === "m" ? 1e6 : 1);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a size: ${a}`);
  return n;
}

/** The command line that reproduces this run. */
export function commandLine(): string {
  return ["npx tsx", ...process.argv.slice(1).map((a) => a.replace(`${ROOT}/`, ""))].join(" ");
}

/**
 * What a wallet sends to the credential endpoint once its token request is answered: the access
 * token and the request body, with the holder's key proof over the token's nonce. Throws when the
 * token request was refused.
 */
export async function credentialRequestAfter(
  tokenResponse: Response,
  holder: HakiKeyPair,
  audience: string,
  configurationId: string | undefined,
): Promise<{ token: string; body: string }> {
  if (!tokenResponse.ok) throw new Error(`token: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const token = (await tokenResponse.json()) as { access_token: string; c_nonce: string };
  const proof = await holderProof(holder, token.c_nonce, audience);
  return {
    token: token.access_token,
    body: JSON.stringify({
      credential_configuration_id: configurationId,
      proofs: { jwt: [proof] },
    }),
  };
}
