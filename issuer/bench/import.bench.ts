/**
 * Registry import: rows per second and peak memory for an N-row CSV, then the same file again (synthetic households from
 * @haki/demo-data, written to a temporary file first), imported through the issuer's own path
 * (`importRegistry` with the CSV connector, as an upload is) into a fresh SQLite or PostgreSQL.
 *   npx tsx issuer/bench/import.bench.ts [size=1000000] [--db sqlite]
 * Prints the figures and writes bench/results/import.json.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbProvider } from "@haki/db";
import { csvColumnMapping, writeSyntheticRegistryCsv } from "@haki/demo-data/csv";
import { createCsvConnector } from "@haki/registry/csv";
import { saveSource } from "@/server/registry/save-source";
import { importRegistry } from "@/server/registry/import-registry";
import { commandLine, flag, machine, openBenchIssuer, sizeArg, writeResult } from "./lib";

const size = sizeArg(1_000_000);
const provider = flag("db", "sqlite") as DbProvider;
const dir = mkdtempSync(join(tmpdir(), "haki-import-bench-"));
const file = join(dir, "registry.csv");
const t = performance.now();
await writeSyntheticRegistryCsv({ households: size, seed: 7 }, createWriteStream(file), {
  fullName: true,
});
const bytes = statSync(file).size;
console.log(
  `${size.toLocaleString("en")}-row CSV (${(bytes / 2 ** 20).toFixed(0)} MiB) written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const b = await openBenchIssuer(provider);
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  const mapping = csvColumnMapping({ fullName: true });
  const { id: sourceId } = await saveSource(b.ctx, { name: "bench", mapping }, b.officer);
  /** The file imported as run `runId` (recorded first): its counts, the seconds it took and the RSS just before. */
  const timedImport = async (runId: string) => {
    await b.ctx.db.importRun.create({
      data: { id: runId, sourceId, fileName: "registry.csv" },
    });
    const rssBefore = process.memoryUsage().rss;
    const start = performance.now();
    const counts = await importRegistry(b.ctx, {
      runId,
      sourceId,
      actorId: b.officer.id,
      connector: createCsvConnector({ open: () => createReadStream(file), mapping }),
    });
    return { counts, seconds: (performance.now() - start) / 1000, rssBefore };
  };
  const { counts, seconds, rssBefore } = await timedImport("bench-run");
  if (counts.created !== size)
    throw new Error(`${counts.created} created of ${size} (rejected ${counts.rejected})`);
  // The same file again, as next month's export with nobody changed: every row is read, hashed
  // and compared, nothing is written.
  const { counts: again, seconds: reimportSeconds } = await timedImport("bench-reimport");
  if (again.unchanged !== size || again.created + again.updated !== 0)
    throw new Error(`re-import changed rows: ${JSON.stringify(again)}`);
  const result = {
    command: commandLine(),
    machine: machine(),
    at: new Date().toISOString(),
    db: provider,
    rows: size,
    csv_bytes: bytes,
    seconds: +seconds.toFixed(2),
    rows_per_s: Math.round(size / seconds),
    reimport_seconds: +reimportSeconds.toFixed(2),
    reimport_rows_per_s: Math.round(size / reimportSeconds),
    peak_rss_mib: Math.round(peakRss / 2 ** 20),
    rss_before_mib: Math.round(rssBefore / 2 ** 20),
    counts,
  };
  console.log(
    `imported ${size.toLocaleString("en")} rows into ${provider} in ${result.seconds} s = ${result.rows_per_s.toLocaleString("en")} rows/s; ` +
      `peak RSS ${result.peak_rss_mib} MiB (${result.rss_before_mib} MiB before); ` +
      `re-import of the same file (nothing changed) ${result.reimport_seconds} s = ${result.reimport_rows_per_s.toLocaleString("en")} rows/s; ` +
      `load ${result.machine.load_average.join(" ")}\n` +
      `command: ${commandLine()}\nwrote ${writeResult("import", result)}`,
  );
} finally {
  clearInterval(sampler);
  await b.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
