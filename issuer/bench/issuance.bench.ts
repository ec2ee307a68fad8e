/**
 * Bulk issuance throughput: N beneficiaries signed and stored by 1 and 2 worker PROCESSES (the
 * worker CLI, as deployed), on SQLite and on PostgreSQL, next to the raw node:crypto Ed25519 sign
 * rate measured in the same run.
 *   npx tsx issuer/bench/issuance.bench.ts [size=1000000] [--db sqlite,postgresql] [--workers 1,2] [--cpu-prof DIR]
 * Prints the figures and writes bench/results/issuance.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { DbProvider } from "@haki/db";
import { startIssuance } from "@/server/issuance/start-issuance";
import {
  ISSUER,
  WORKER_NODE_ARGS,
  commandLine,
  flag,
  machine,
  openBenchIssuer,
  rawEd25519Rates,
  readResult,
  seedCycle,
  sizeArg,
  writeResult,
} from "./lib";

const size = sizeArg(1_000_000);
const dbs = flag("db", "sqlite,postgresql").split(",") as DbProvider[];
const workerCounts = flag("workers", "1,2").split(",").map(Number);

interface Run {
  db: DbProvider;
  workers: number;
  beneficiaries: number;
  seconds: number;
  wall_seconds: number;
  first_pass_seconds: number;
  sign_seconds: number;
  per_s: number;
  raw_sign_per_s: number;
  ratio: number;
  ratio_per_worker: number;
  load_average: number[];
}

function startWorker(env: Record<string, string>, i: number): ChildProcess {
  // --cpu-prof DIR: each worker writes a V8 CPU profile there when it stops.
  const prof = flag("cpu-prof", "");
  const child = spawn(
    process.execPath,
    [
      ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []),
      ...WORKER_NODE_ARGS,
    ],
    {
      cwd: ISSUER,
      env: { ...process.env, ...env, HAKI_WORKER_NAME: `bench-${i}` },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  child.stdout!.on("data", (d: Buffer) => process.stdout.write(`  [worker ${i}] ${d.toString()}`));
  return child;
}

const runs: Run[] = [];
for (const db of dbs) {
  for (const workers of workerCounts) {
    const b = await openBenchIssuer(db);
    try {
      let t = performance.now();
      const cycleId = await seedCycle(b, size);
      console.log(
        `${db}, ${workers} worker(s): ${size.toLocaleString("en")} beneficiaries seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      // Keys exist before the workers start, so they do not race to create the first one.
      await b.ctx.keys.getSigningKey();
      const rawBefore = rawEd25519Rates();
      const children = Array.from({ length: workers }, (_, i) => startWorker(b.childEnv, i));
      await new Promise((r) => setTimeout(r, 3000)); // let them load before the clock starts
      t = performance.now();
      const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
      let prepared = 0;
      let last = 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        const job = await b.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } });
        if (!prepared && job.cursor?.startsWith("sign:")) prepared = performance.now();
        if (job.state === "completed" || job.state === "failed") {
          if (job.state === "failed") throw new Error(`job failed: ${job.error}`);
          break;
        }
        if (performance.now() - last > 10_000) {
          last = performance.now();
          console.log(
            `  ${job.state} ${job.done.toLocaleString("en")} / ${job.total.toLocaleString("en")}`,
          );
        }
        if (children.some((c) => c.exitCode !== null)) throw new Error("a worker exited");
      }
      const wall = (performance.now() - t) / 1000;
      const done = await b.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } });
      // The job's own clock (claimed -> completed); the wall time adds the workers' poll interval.
      const seconds =
        done.startedAt && done.finishedAt
          ? (done.finishedAt.getTime() - done.startedAt.getTime()) / 1000
          : wall;
      const pickup = wall - seconds;
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(
        children.map(
          (c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r))),
        ),
      );
      const issued = await b.ctx.db.entitlement.count({
        where: { cycleId, status: "issued", credential: { not: null } },
      });
      if (issued !== size) throw new Error(`${issued} issued of ${size}`);
      const rawAfter = rawEd25519Rates();
      const raw = Math.round((rawBefore.raw_sign_per_s + rawAfter.raw_sign_per_s) / 2);
      const perS = Math.round(size / seconds);
      const prepareSeconds = prepared ? Math.max(0, (prepared - t) / 1000 - pickup) : 0;
      const run: Run = {
        db,
        workers,
        beneficiaries: size,
        seconds: +seconds.toFixed(2),
        wall_seconds: +wall.toFixed(2),
        // The pass over the beneficiaries: entitlements created (and signed at once by the worker
        // holding the job, except pages it leaves pending for a helper or, on PostgreSQL, the queue).
        first_pass_seconds: +prepareSeconds.toFixed(2),
        // After it: pending entitlements signed by all workers, and the final sweep.
        sign_seconds: +(seconds - prepareSeconds).toFixed(2),
        per_s: perS,
        raw_sign_per_s: raw,
        ratio: +(perS / raw).toFixed(3),
        ratio_per_worker: +(perS / raw / workers).toFixed(3),
        load_average: machine().load_average,
      };
      runs.push(run);
      console.log(
        `${db}, ${workers} worker(s): ${size.toLocaleString("en")} credentials in ${run.seconds} s (first pass ${run.first_pass_seconds} s) = ${perS.toLocaleString("en")}/s; ` +
          `raw Ed25519 sign ${raw.toLocaleString("en")}/s on one core; ratio ${run.ratio} (${run.ratio_per_worker} per worker); load ${run.load_average.join(" ")}`,
      );
    } finally {
      await b.close();
    }
  }
}
// Runs of other (db, workers) pairs from an earlier invocation stay, each with its own command line.
const earlier =
  (readResult("issuance") as { runs?: (Run & { command?: string })[] } | null)?.runs ?? [];
const merged = [
  ...earlier.filter((r) => !runs.some((n) => n.db === r.db && n.workers === r.workers)),
  ...runs.map((r) => ({ ...r, command: commandLine() })),
];
merged.sort((a, b) => a.db.localeCompare(b.db) || a.workers - b.workers);
const file = writeResult("issuance", {
  machine: machine(),
  at: new Date().toISOString(),
  runs: merged,
});
console.log(`command: ${commandLine()}\nwrote ${file}`);
process.exit(0);
