/**
 * `pnpm bench:console [beneficiaries] [--db sqlite|postgresql|both]`: the programme office's console
 * at a national programme's size (issue 15). For each database: a million beneficiaries (names in
 * several scripts from the demo registry generator, their registry ids kept as HMACs), a cycle whose
 * eligible set is frozen and approved through the real functions, a million entitlements (states,
 * phones and paper cards mixed) and a million signed receipts at one service point in one month;
 * then `next start` on that database and, from this second process, the console's pages over HTTP:
 * search (by name, reference, registry id, area), a profile, a filtered cycle page and the
 * dashboard, each p95 against the 300 ms target; and the settlement export of the million-receipt
 * month as CSV and as a spreadsheet, streamed, with the server's peak memory sampled while it runs
 * and the rows per second set against a raw driver scan of the same receipts (the physical limit
 * measured in the same run). Writes bench/results/console.json.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import type { DbProvider } from "@haki/db";
import { openBulkSql, type BulkSql } from "@haki/db/bulk";
import { normalizeSearchText } from "@haki/db/search";
import { generateRegistry } from "@haki/demo-data/generate";
import { approveCycle, submitCycle } from "@/server/cycles/transition-cycle";
import { registryIdHash } from "@/server/registry/import-registry";
import { createSession } from "@/server/auth/sessions";
import { createUser } from "@/server/auth/create-user";
import { STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { newBeneficiaryRef } from "@/server/lib/ids";
import { benchServerEnv, createBenchCycle, ISSUER, machine, openBenchIssuer, reopenBenchIssuer, writeResult, type BenchIssuer } from "./lib";

const args = process.argv.slice(2);
const PEOPLE = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const dbArg = args[args.indexOf("--db") + 1];
const PROVIDERS: DbProvider[] = args.includes("--db") && dbArg !== "both" ? [dbArg as DbProvider] : ["sqlite", "postgresql"];
/**
 * `--keep DIR`: keep the seeded database (and the keys it was seeded with) and say where in DIR; a
 * later run with the same DIR, provider and size measures on it without seeding again (seeding a
 * million people takes 25-40 minutes, measuring 5), so the pages can be measured on a quiet machine.
 */
const KEEP = args.includes("--keep") ? args[args.indexOf("--keep") + 1] : undefined;
/** `--seed-only` (with `--keep`): seed and keep, measure nothing. */
const SEED_ONLY = KEEP !== undefined && args.includes("--seed-only");
/** Requests per scenario (after one warm-up, reported apart as the cold first view). */
const REQUESTS = Number(process.env.HAKI_BENCH_REQUESTS ?? 40);
const TARGET_P95_MS = 300;
const LOCK = "/tmp/haki-issuer-build.lock";
const MONTH = { from: "2027-03-01", to: "2027-03-31" };
const POINT = "sp-bench-1";
const AREAS = 47;

const areaOf = (k: number) => `KE-0${String((k % AREAS) + 1).padStart(2, "0")}`;
/** A UUID (version 7 layout) that sorts in `k` order, as the issuer's ids sort in creation order; `kind` keeps tables apart. */
const orderedId = (kind: "b" | "e", k: number) => `00000000-0000-7000-8${kind}00-${k.toString(16).padStart(12, "0")}`;
const bool = (b: BenchIssuer, v: boolean) => (b.env.DATABASE_URL.startsWith("file:") ? (v ? "1" : "0") : v ? "true" : "false");

/** Runs statements in batches of `per` per transaction. */
async function runBatches(bulk: BulkSql, statements: AsyncIterable<{ sql: string; params: unknown[] }> | Iterable<{ sql: string; params: unknown[] }>, per = 20): Promise<void> {
  let batch: { sql: string; params: unknown[] }[] = [];
  for await (const s of statements) {
    batch.push(s);
    if (batch.length >= per) {
      await bulk.batch(batch);
      batch = [];
    }
  }
  if (batch.length) await bulk.batch(batch);
}

/**
 * The OpenID4VCI offers behind the cycle's deliveries, as the office leaves them: every phone-held
 * entitlement collected through one (the wallet said it kept the card, or for one in ten that it
 * deleted it), and an offer made but never collected for one in five of the others.
 */
async function seedOffers(bulk: BulkSql, cycleId: string): Promise<void> {
  const p = bulk.params();
  const cycle = p.add(cycleId);
  await bulk.batch([
    {
      sql:
        `INSERT INTO "Offer" ("id", "entitlementId", "codeHash", "expiresAt", "holderDid", "credentialIssuedAt", "credentialCount", "notificationIdHash", "walletEvent", "walletEventAt", "createdAt") ` +
        `SELECT 'o-' || e."id", e."id", 'c-' || e."id", e."issuedAt", e."holderDid", e."issuedAt", 1, 'n-' || e."id", ` +
        `CASE WHEN e."statusIndex" % 10 = 7 THEN 'credential_deleted' ELSE 'credential_accepted' END, e."issuedAt", e."issuedAt" ` +
        `FROM "Entitlement" e WHERE e."cycleId" = ${cycle} AND e."holderDid" IS NOT NULL`,
      params: p.values,
    },
    {
      sql:
        `INSERT INTO "Offer" ("id", "entitlementId", "codeHash", "expiresAt", "createdAt") ` +
        `SELECT 'o-' || e."id", e."id", 'c-' || e."id", e."issuedAt", e."issuedAt" FROM "Entitlement" e ` +
        `WHERE e."cycleId" = ${cycle} AND e."holderDid" IS NULL AND e."printedAt" IS NULL AND e."statusIndex" % 5 = 3`,
      params: p.values,
    },
  ]);
}

interface Seeded {
  cycleId: string;
  names: string[];
  refs: string[];
  registryIds: string[];
  seconds: Record<string, number>;
}

/** A million people, a frozen and approved cycle, its entitlements and a month of receipts. */
async function seed(b: BenchIssuer, n: number): Promise<Seeded> {
  const { db } = b.ctx;
  const seconds: Record<string, number> = {};
  const time = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await f();
    seconds[label] = +((performance.now() - t) / 1000).toFixed(1);
    console.log(`  ${label}: ${seconds[label]} s`);
    return r;
  };
  await db.registrySource.create({ data: { id: "bench", name: "bench", mapping: "{}" } });
  const bulk = openBulkSql(b.env.DATABASE_URL);
  const sample = { names: [] as string[], refs: [] as string[], registryIds: [] as string[] };
  const ids: string[] = [];
  try {
    await time("beneficiaries", () =>
      runBatches(
        bulk,
        (function* () {
          const now = new Date();
          let rows: string[] = [];
          let p = bulk.params();
          let k = 0;
          for (const h of generateRegistry({ households: n, seed: 11 })) {
            const head = h.members[0]!;
            const name = `${head.given_name} ${head.surname}`;
            const ref = newBeneficiaryRef();
            const id = orderedId("b", k);
            ids.push(id);
            if (k % Math.max(1, Math.floor(n / 500)) === 0) {
              sample.names.push(name);
              sample.refs.push(ref);
              sample.registryIds.push(h.group_identifier);
            }
            const cells = [id, ref, "bench", registryIdHash(b.ctx, h.group_identifier), "r", name, normalizeSearchText(name), areaOf(k), h.group_size, h.poverty_score].map(p.add);
            rows.push(`(${cells.join(", ")}, ${p.date(now)}, ${p.date(now)})`);
            k++;
            if (rows.length === 500) {
              yield {
                sql: `INSERT INTO "Beneficiary" ("id", "ref", "sourceId", "registryIdHash", "rowHash", "displayName", "searchName", "area", "householdSize", "povertyScore", "createdAt", "updatedAt") VALUES ${rows.join(", ")}`,
                params: p.values,
              };
              rows = [];
              p = bulk.params();
            }
          }
          if (rows.length)
            yield {
              sql: `INSERT INTO "Beneficiary" ("id", "ref", "sourceId", "registryIdHash", "rowHash", "displayName", "searchName", "area", "householdSize", "povertyScore", "createdAt", "updatedAt") VALUES ${rows.join(", ")}`,
              params: p.values,
            };
        })(),
      ),
    );
    await db.$executeRawUnsafe(`ANALYZE`);
    const cycleId = await createBenchCycle(b);
    const frozen = await time("freeze_eligible_set", () => submitCycle(b.ctx, cycleId, b.officer));
    await approveCycle(b.ctx, { cycleId, digest: frozen.digest }, b.approver);
    // The entitlements as issuance leaves them (signing a million credentials is bench:issuance's
    // business): states, phones and printed cards mixed, issued over the month.
    const start = new Date("2027-03-01T06:00:00Z").getTime();
    await time("entitlements", () =>
      runBatches(
        bulk,
        (function* () {
          for (let s = 0; s < ids.length; s += 500) {
            const p = bulk.params();
            const rows: string[] = [];
            for (let k = s; k < Math.min(ids.length, s + 500); k++) {
              const status = k % 100 === 0 ? "revoked" : k % 50 === 1 ? "suspended" : "issued";
              const at = new Date(start + (k % 28) * 86_400_000 + (k % 3600) * 1000);
              // Placeholders in the order they appear: SQLite's are positional.
              const cells = [
                p.add(orderedId("e", k)),
                p.add(cycleId),
                p.add(ids[k]),
                p.add(status),
                p.int(Math.floor(k / STATUS_LIST_SIZE) + 1),
                p.int(k % STATUS_LIST_SIZE),
                k % 5 < 2 ? p.add(`did:key:z6MkBench${k}`) : "NULL",
                k % 5 === 2 ? p.date(at) : "NULL",
                p.date(at),
                p.date(at),
              ];
              rows.push(`(${cells.join(", ")})`);
            }
            yield {
              sql: `INSERT INTO "Entitlement" ("id", "cycleId", "beneficiaryId", "status", "statusList", "statusIndex", "holderDid", "printedAt", "issuedAt", "createdAt") VALUES ${rows.join(", ")}`,
              params: p.values,
            };
          }
        })(),
      ),
    );
    await time("offers", () => seedOffers(bulk, cycleId));
    await db.cycle.update({
      where: { id: cycleId },
      data: { state: "issued", issuedAt: new Date(start) },
    });
    await db.servicePoint.create({
      data: {
        id: POINT,
        name: "Bench market stall",
        area: "KE-001",
        programmes: JSON.stringify(["cash"]),
      },
    });
    const { privateKey } = generateKeyPairSync("ed25519");
    const device = "dev-bench-1";
    await db.device.create({
      data: {
        id: device,
        servicePointId: POINT,
        publicJwk: "{}",
        label: "Counter 1",
        enrolledAt: new Date(start),
      },
    });
    // A million signed receipts in March: one per entitlement but 1 %, plus double redemptions to make up the million.
    const redeemed = Math.floor(ids.length * 0.99);
    const total = ids.length;
    await time("receipts", () =>
      runBatches(
        bulk,
        (function* () {
          const header = Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "haki-receipt+jwt", kid: device })).toString("base64url");
          for (let s = 0; s < total; s += 250) {
            const p = bulk.params();
            const rows: string[] = [];
            for (let r = s; r < Math.min(total, s + 250); r++) {
              const k = r < redeemed ? r : (r - redeemed) * 7;
              const ref = `ref-${k}`;
              const id = `rcpt-${r.toString(36).padStart(8, "0")}-${randomBytes(4).toString("hex")}`;
              const at = new Date(start + (r % 30) * 86_400_000 + (r % 40_000) * 1000);
              const key = `did:web:issuer.bench.test|cash|2027-03|${ref}`;
              const payload = Buffer.from(
                JSON.stringify({
                  v: 1,
                  id,
                  issuer: "did:web:issuer.bench.test",
                  programme: "cash",
                  cycle: "2027-03",
                  beneficiary: ref,
                  entitlement: key,
                  servicePoint: POINT,
                  device,
                  redemption: "single",
                  handedOver: { type: "Cash", amount: 2500, currency: "KES" },
                  remaining: 0,
                  visualCheck: false,
                  at: Math.floor(at.getTime() / 1000),
                }),
              ).toString("base64url");
              const jws = `${header}.${payload}.${sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString("base64url")}`;
              const cells = [id, key, orderedId("e", k), cycleId, "cash", "2027-03", ref, POINT, device, "2500"].map(p.add);
              rows.push(`(${cells.join(", ")}, ${p.date(at)}, ${p.date(at)}, ${p.add(jws)}, ${bool(b, r >= redeemed)})`);
            }
            yield {
              sql: `INSERT INTO "Receipt" ("id", "entitlementKey", "entitlementId", "cycleId", "programme", "cycleCode", "beneficiaryRef", "servicePoint", "device", "amount", "redeemedAt", "receivedAt", "jws", "doubleRedemption") VALUES ${rows.join(", ")}`,
              params: p.values,
            };
          }
        })(),
      ),
    );
    await db.$executeRawUnsafe(`ANALYZE`);
    return { cycleId, ...sample, seconds };
  } finally {
    await bulk.close();
  }
}

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** Resident memory of a process and its children, in MiB (Linux /proc). */
function treeRssMiB(pid: number): number {
  let kib = 0;
  const walk = (p: number) => {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) walk(Number(child));
    } catch {
      /* gone */
    }
  };
  walk(pid);
  return kib / 1024;
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1);
};

/** A seeded database: kept from an earlier run with `--keep`, or seeded now (and kept if asked). */
async function seeded(provider: DbProvider, origin: string): Promise<{ b: BenchIssuer; s: Seeded; reused: boolean }> {
  const file = KEEP && join(KEEP, `console-${provider}-${PEOPLE}.json`);
  if (file && existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, "utf8")) as Parameters<typeof reopenBenchIssuer>[0] & { seeded: Seeded };
    console.log(`== ${provider}: the ${PEOPLE.toLocaleString("en")} beneficiaries kept in ${file}`);
    const b = await reopenBenchIssuer(kept, { HAKI_PUBLIC_URL: origin });
    if (kept.seeded.seconds.offers === undefined) {
      // Kept before the seed made offers: make them now, as the seed would have.
      const bulk = openBulkSql(b.env.DATABASE_URL);
      const t = performance.now();
      await seedOffers(bulk, kept.seeded.cycleId).finally(() => bulk.close());
      await b.ctx.db.$executeRawUnsafe(`ANALYZE`);
      kept.seeded.seconds.offers = +((performance.now() - t) / 1000).toFixed(1);
      writeFileSync(file, JSON.stringify(kept, null, 1));
      console.log(`  offers: ${kept.seeded.seconds.offers} s`);
    }
    return { b, s: kept.seeded, reused: true };
  }
  console.log(`== ${provider}: seeding ${PEOPLE.toLocaleString("en")} beneficiaries`);
  const b = await openBenchIssuer(provider, { HAKI_PUBLIC_URL: origin });
  const s = await seed(b, PEOPLE);
  if (!file) return { b, s, reused: false };
  mkdirSync(KEEP!, { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        provider,
        url: b.database.url,
        childEnv: b.childEnv,
        officer: b.officer,
        approver: b.approver,
        seeded: s,
      },
      null,
      1,
    ),
  );
  console.log(`  kept in ${file}`);
  return { b: { ...b, close: () => b.database.db.$disconnect() }, s, reused: false };
}

async function runProvider(provider: DbProvider) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const { b, s, reused } = await seeded(provider, origin);
  if (SEED_ONLY) {
    await b.close();
    return undefined;
  }
  let server: ChildProcess | undefined;
  try {
    const { id: userId } = await createUser(
      b.ctx,
      {
        email: `console-${randomBytes(4).toString("hex")}@bench.test`,
        name: "Console",
        password: "bench-password-123",
        roles: ["officer", "approver", "auditor", "admin"],
      },
      null,
      { scrypt: { N: 1024, r: 8, p: 1 } },
    );
    const session = await createSession(b.ctx, userId);
    const cookie = `haki_session=${session.token}`;
    server = spawn("flock", ["--shared", LOCK, join(ISSUER, "node_modules", ".bin", "next"), "start", "--port", String(port), "--hostname", "127.0.0.1"], {
      cwd: ISSUER,
      env: benchServerEnv(b, origin),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let log = "";
    server.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    for (const up = Date.now(); ;) {
      if (server.exitCode !== null) throw new Error(`the issuer exited:\n${log}`);
      if (Date.now() - up > 180_000) throw new Error(`the issuer did not answer in 180 s:\n${log}`);
      if (
        await fetch(`${origin}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const serverPid = server.pid!;
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${origin}${path}`, { headers: { cookie } });
      const body = await res.text();
      const ms = performance.now() - t;
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}\n${body.slice(0, 500)}\n${log.slice(-2000)}`);
      return { ms, body };
    };
    const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length]!;
    const word = (name: string) =>
      normalizeSearchText(name)
        .split(" ")
        .sort((a, b) => b.length - a.length)[0]!
        .slice(0, 4);
    const scenarios: Record<string, (i: number) => string> = {
      search_name: (i) => `/beneficiaries?by=name&q=${encodeURIComponent(`${pick(s.names, i).split(" ")[1] ?? ""} ${word(pick(s.names, i))}`)}`,
      search_name_area: (i) => `/beneficiaries?by=name&q=${encodeURIComponent(word(pick(s.names, i + 3)))}&area=${areaOf(i)}`,
      search_ref: (i) => `/beneficiaries?by=ref&q=${pick(s.refs, i).slice(0, 8)}`,
      search_registry_id: (i) => `/beneficiaries?by=registryId&q=${encodeURIComponent(pick(s.registryIds, i))}`,
      search_area: (i) => `/beneficiaries?by=area&area=${areaOf(i)}`,
      profile: (i) => `/beneficiaries/${pick(s.refs, i)}`,
      cycle_filtered: (i) => `/cycles/${s.cycleId}?status=issued&area=${areaOf(i)}&delivered=no`,
      cycle_redeemed_no: () => `/cycles/${s.cycleId}?redeemed=no`,
      dashboard: () => `/`,
    };
    const pages: Record<
      string,
      {
        cold_ms: number;
        p50_ms: number;
        p95_ms: number;
        max_ms: number;
        requests: number;
        under_target: boolean;
      }
    > = {};
    for (const [name, path] of Object.entries(scenarios)) {
      const cold = await get(path(0));
      const times: number[] = [];
      for (let i = 1; i <= REQUESTS; i++) times.push((await get(path(i))).ms);
      const p95 = pct(times, 0.95);
      pages[name] = {
        cold_ms: +cold.ms.toFixed(1),
        p50_ms: pct(times, 0.5),
        p95_ms: p95,
        max_ms: pct(times, 1),
        requests: REQUESTS,
        under_target: p95 < TARGET_P95_MS,
      };
      console.log(`  ${name.padEnd(20)} cold ${pages[name].cold_ms} ms, p50 ${pages[name].p50_ms} ms, p95 ${p95} ms (target ${TARGET_P95_MS})`);
    }
    // The next page of a filtered cycle list, from the cursor the first page links.
    const first = await get(scenarios.cycle_filtered!(1));
    // The pager's link, whatever the order of its attributes.
    const nextLink = /<a [^>]*rel="next"[^>]*>/.exec(first.body)?.[0] ?? "";
    const nextHref = /href="([^"]*after=[^"]*)"/.exec(nextLink)?.[1]?.replace(/&amp;/g, "&");
    if (nextHref) {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) times.push((await get(nextHref)).ms);
      pages.cycle_filtered_next_page = {
        cold_ms: times[0]!,
        p50_ms: pct(times, 0.5),
        p95_ms: pct(times, 0.95),
        max_ms: pct(times, 1),
        requests: 10,
        under_target: pct(times, 0.95) < TARGET_P95_MS,
      };
    }

    // The physical limit for the export: a raw driver scan of the same receipts.
    const bulk = openBulkSql(b.env.DATABASE_URL);
    let rawRows = 0;
    const rawStart = performance.now();
    try {
      let after = "";
      for (;;) {
        const p = bulk.params();
        const rows = await bulk.query<{ id: string; jws: string }>(
          `SELECT "id", "jws" FROM "Receipt" WHERE "servicePoint" = ${p.add(POINT)} AND "id" > ${p.add(after)} ORDER BY "id" LIMIT 5000`,
          p.values,
        );
        if (!rows.length) break;
        rawRows += rows.length;
        after = rows[rows.length - 1]!.id;
      }
    } finally {
      await bulk.close();
    }
    const rawPerSecond = rawRows / ((performance.now() - rawStart) / 1000);
    const exportOf = async (format: "csv" | "xlsx") => {
      const baseline = treeRssMiB(serverPid);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, treeRssMiB(serverPid))), 100);
      const t = performance.now();
      const res = await fetch(`${origin}/api/settlement/export?servicePoint=${POINT}&from=${MONTH.from}&to=${MONTH.to}&format=${format}`, { headers: { cookie } });
      if (!res.ok || !res.body) throw new Error(`export ${format}: HTTP ${res.status}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        if (format === "csv") for (const c of chunk) if (c === 10) lines++;
      }
      clearInterval(sampler);
      const seconds = (performance.now() - t) / 1000;
      const r = {
        rows: format === "csv" ? lines - 1 : rawRows,
        megabytes: +(bytes / 2 ** 20).toFixed(1),
        seconds: +seconds.toFixed(1),
        rows_per_second: Math.round(rawRows / seconds),
        ratio_to_raw_scan: +(rawRows / seconds / rawPerSecond).toFixed(3),
        server_rss_baseline_mib: Math.round(baseline),
        server_rss_peak_mib: Math.round(peak),
        server_rss_growth_mib: Math.round(peak - baseline),
      };
      console.log(
        `  export ${format}: ${r.rows.toLocaleString("en")} rows, ${r.megabytes} MB in ${r.seconds} s; server RSS ${r.server_rss_baseline_mib} -> ${r.server_rss_peak_mib} MiB`,
      );
      return r;
    };
    const csv = await exportOf("csv");
    const xlsx = await exportOf("xlsx");
    return {
      provider,
      beneficiaries: PEOPLE,
      entitlements: PEOPLE,
      receipts_in_period: rawRows,
      seed_seconds: s.seconds,
      seeded_in_an_earlier_run: reused,
      pages,
      settlement_export: { raw_scan_rows_per_second: Math.round(rawPerSecond), csv, xlsx },
    };
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        /* gone */
      }
    }
    await b.close();
  }
}

if (!existsSync(join(ISSUER, ".next", "BUILD_ID"))) {
  console.log("building the issuer (no .next build found)");
  execFileSync("flock", [LOCK, "bash", join(ISSUER, "..", "scripts", "pnpm.sh"), "--dir", "issuer", "build"], { stdio: "inherit", cwd: join(ISSUER, "..") });
}
const before = machine();
const results = [];
for (const provider of PROVIDERS) {
  const r = await runProvider(provider);
  if (r) results.push(r);
}
if (SEED_ONLY) process.exit(0);
const result = {
  bench: "console",
  target_p95_ms: TARGET_P95_MS,
  machine: { ...before, load_average_at_end: machine().load_average },
  command: `pnpm bench:console ${args.join(" ")}`.trim(),
  results,
};
console.log(`load average ${before.load_average.join(" ")} -> ${result.machine.load_average_at_end.join(" ")}\nwrote ${writeResult("console", result)}`);
process.exit(0);
