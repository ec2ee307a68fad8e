/**
 * How fast the synthetic registry generates and streams to CSV, and how much memory that takes.
 *   node_modules/.bin/tsx packages/demo-data/bench/generate.bench.ts [households]
 * (default 1,000,000; writes bench/results/demo-data.json). Memory is the peak heap and RSS seen
 * while streaming, sampled every 10,000 households: it must stay flat however large the file.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { writeRegistryCsv, type CsvOptions } from "../src/csv";
import { generateRegistry, type Household } from "../src/generate";

const households = Number(process.argv[2] ?? 1_000_000);
const seed = 7;
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      sink.bytes += chunk.length;
      done();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

function* sampled(source: Iterable<Household>, peak: { heap: number; rss: number }): Generator<Household> {
  let n = 0;
  for (const h of source) {
    if (++n % 10_000 === 0) {
      const m = process.memoryUsage();
      peak.heap = Math.max(peak.heap, m.heapUsed);
      peak.rss = Math.max(peak.rss, m.rss);
    }
    yield h;
  }
}

// The machine is shared: CPU seconds used by this process say more than the wall clock.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

// 1. Generation alone.
const t = performance.now();
const c = process.cpuUsage();
let persons = 0;
for (const h of generateRegistry({ households, seed })) persons += h.group_size;
const generateMs = performance.now() - t;
const generateCpuMs = cpuMs(c);

// 2. Generation + CSV, household rows and person rows, into a sink that drops the bytes.
async function csv(options: CsvOptions) {
  const sink = nullSink();
  const before = process.memoryUsage();
  const peak = { heap: before.heapUsed, rss: before.rss };
  const start = performance.now();
  const cpu = process.cpuUsage();
  const summary = await writeRegistryCsv(sampled(generateRegistry({ households, seed }), peak), sink, options);
  const ms = performance.now() - start;
  const cpuUsed = cpuMs(cpu);
  return {
    rows: summary.rows,
    bytes: sink.bytes,
    ms: Math.round(ms),
    cpuMs: Math.round(cpuUsed),
    rowsPerSecond: Math.round((summary.rows / ms) * 1000),
    rowsPerCpuSecond: Math.round((summary.rows / cpuUsed) * 1000),
    heapStartMb: mb(before.heapUsed),
    heapPeakMb: mb(peak.heap),
    rssPeakMb: mb(peak.rss),
  };
}

const householdRows = await csv({});
const personRows = await csv({ rows: "person" });

const result = {
  name: "demo-data",
  date: new Date().toISOString(),
  node: process.version,
  note: `seed ${seed}, default country mix; CSV via csv-stringify into a discarding Writable; one run each on a shared machine (cpuMs: this process's user+system CPU time; GC runs partly on other threads)`,
  households,
  persons,
  generate: {
    ms: Math.round(generateMs),
    cpuMs: Math.round(generateCpuMs),
    householdsPerSecond: Math.round((households / generateMs) * 1000),
    householdsPerCpuSecond: Math.round((households / generateCpuMs) * 1000),
  },
  csvHouseholdRows: householdRows,
  csvPersonRows: personRows,
};
console.log(JSON.stringify(result, null, 2));

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const file = join(root, "bench/results/demo-data.json");
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`-> ${file}`);
