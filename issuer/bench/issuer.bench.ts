/**
 * Registry import and bulk issuance throughput on a temporary SQLite file (or HAKI_BENCH_PG_URL).
 *   npx tsx bench/issuer.bench.ts [rows=100000]
 * Prints figures and writes bench/results/issuer.json at the repo root.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCsvConnector } from "@haki/registry/csv";
import { createTestDatabase } from "@haki/db/testing";
import { parseEnv } from "../src/env";
import { createServerContext } from "../src/server/context";
import { createUser } from "../src/server/auth/create-user";
import { saveSource } from "../src/server/registry/save-source";
import { importRegistry } from "../src/server/registry/import-registry";
import { createProgramme } from "../src/server/programmes/create-programme";
import { createCycle } from "../src/server/cycles/create-cycle";
import { approveCycle } from "../src/server/cycles/transition-cycle";
import { startIssuance } from "../src/server/issuance/start-issuance";
import { claimIssuanceJob, runIssuanceJob } from "../src/server/issuance/run-issuance-job";
import type { Actor } from "../src/server/auth/roles";

const rows = Number(process.argv[2] ?? 100_000);
const database = await createTestDatabase("sqlite");
const env = parseEnv({
  DATABASE_URL: database.url,
  HAKI_PUBLIC_URL: "https://issuer.bench.test",
  HAKI_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  HAKI_REGISTRY_HASH_KEY: randomBytes(32).toString("base64"),
  HAKI_DATA_DIR: mkdtempSync(join(tmpdir(), "haki-bench-")),
});
const ctx = createServerContext(env, { db: database.db });
const scrypt = { N: 1024, r: 8, p: 1 };
const mk = async (roles: Actor["roles"]): Promise<Actor> => {
  const email = `${roles[0]}@bench.test`;
  const { id } = await createUser(
    ctx,
    { email, name: roles[0]!, password: "bench-password-123", roles },
    null,
    { scrypt },
  );
  return { id, email, name: roles[0]!, roles, locale: "en" };
};
const officer = await mk(["officer"]);
const approver = await mk(["approver"]);

function* csv() {
  yield "household_id,head_name,district,hh_size,pmt_score,phone,national_id\n";
  let batch = "";
  for (let i = 1; i <= rows; i++) {
    batch += `H-${i},Person ${i},KE-0${i % 47},${(i % 9) + 1},${i % 100},+2547${i},${10_000_000 + i}\n`;
    if (i % 2000 === 0) {
      yield batch;
      batch = "";
    }
  }
  yield batch;
}
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const { id: sourceId } = await saveSource(
  ctx,
  {
    name: "bench",
    mapping: {
      household_id: "registryId",
      head_name: "name",
      district: "area",
      hh_size: "householdSize",
      pmt_score: "povertyScore",
    },
  },
  officer,
);
const runId = "bench-run";
await ctx.db.importRun.create({ data: { id: runId, sourceId, fileName: "bench.csv" } });
let t0 = performance.now();
const counts = await importRegistry(ctx, {
  runId,
  sourceId,
  actorId: officer.id,
  connector: createCsvConnector({
    open: () => csv(),
    mapping: {
      household_id: "registryId",
      head_name: "name",
      district: "area",
      hh_size: "householdSize",
      pmt_score: "povertyScore",
    },
  }),
});
const importSeconds = (performance.now() - t0) / 1000;

t0 = performance.now();
const again = await importRegistry(ctx, {
  runId,
  sourceId,
  actorId: officer.id,
  connector: createCsvConnector({
    open: () => csv(),
    mapping: {
      household_id: "registryId",
      head_name: "name",
      district: "area",
      hh_size: "householdSize",
      pmt_score: "povertyScore",
    },
  }),
});
const reimportSeconds = (performance.now() - t0) / 1000;

const { id: programmeId } = await createProgramme(
  ctx,
  { code: "cash", name: "Cash", benefitType: "cash", currency: "KES" },
  officer,
);
const { id: cycleId } = await createCycle(
  ctx,
  {
    programmeId,
    code: "2027-03",
    validFrom: "2027-03-01",
    validUntil: "2027-04-01",
    amount: "2500",
    rule: { all: [] },
  },
  officer,
);
await approveCycle(ctx, cycleId, approver);
const { jobId } = await startIssuance(ctx, cycleId, officer);
await claimIssuanceJob(ctx, "bench");
t0 = performance.now();
const issued = await runIssuanceJob(ctx, jobId, { workerId: "bench" });
const issueSeconds = (performance.now() - t0) / 1000;
clearInterval(sampler);

const result = {
  rows,
  import: {
    seconds: +importSeconds.toFixed(2),
    rowsPerSecond: Math.round(rows / importSeconds),
    created: counts.created,
  },
  reimport: {
    seconds: +reimportSeconds.toFixed(2),
    rowsPerSecond: Math.round(rows / reimportSeconds),
    unchanged: again.unchanged,
    created: again.created,
  },
  issuance: {
    seconds: +issueSeconds.toFixed(2),
    credentialsPerSecond: Math.round(issued.signed / issueSeconds),
    signed: issued.signed,
  },
  peakRssMiB: Math.round(peakRss / 2 ** 20),
  node: process.version,
  at: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "issuer.json"), `${JSON.stringify(result, null, 2)}\n`);
await database.drop();
