/**
 * `tsx issuer/bench/xlsx-export.bench.ts [rows]`: the spreadsheet export's memory on its own (issue
 * 15). Rows shaped like a settlement's receipts (ids, dates, amounts and a signed receipt that does
 * not compress) go through the real xlsxStream, a page at a time as from the database, to a reader
 * that takes the file as fast as it can (as the console bench's fetch does); this process's
 * resident memory is sampled every 100 ms. Needs no database and no build: the number to compare
 * with the console bench's `server_rss_growth_mib` for the export alone.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { xlsxStream, type ExportTable } from "@/server/export/table-export";

const ROWS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const PAGE = 2_000; // the settlement export's page (EXPORT_PAGE)
const jws = Array.from({ length: 1_000 }, () => randomBytes(330).toString("base64url"));

interface Row {
  k: number;
  at: Date;
}
const table: ExportTable<Row> = {
  name: "Receipts",
  columns: [
    { header: "receipt", value: (r) => `00000000-0000-7000-8000-${r.k.toString(16).padStart(12, "0")}` },
    { header: "redeemedAt", value: (r) => r.at.toISOString() },
    { header: "programme", value: () => "CT-2027" },
    { header: "beneficiary", value: (r) => `HK-${(r.k * 7919).toString(36).toUpperCase()}` },
    { header: "amount", value: (r) => 2500 + (r.k % 3) * 500 },
    { header: "unit", value: () => "KES" },
    { header: "payable", value: () => "yes" },
    { header: "signedReceipt", value: (r) => jws[r.k % jws.length]! },
  ],
  pages: async function* () {
    for (let at = 0; at < ROWS; at += PAGE) {
      // A database page arrives on a later turn of the event loop.
      await new Promise((r) => setImmediate(r));
      yield Array.from({ length: Math.min(PAGE, ROWS - at) }, (_, i) => ({ k: at + i, at: new Date(1_804_000_000_000 + (at + i) * 1000) }));
    }
  },
};

const mib = () => process.memoryUsage().rss / 2 ** 20;
const loadAverage = () => loadavg().map((x) => +x.toFixed(2));
const load = loadAverage();
global.gc?.();
const baseline = mib();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, mib())), 100);
const started = performance.now();
let bytes = 0;
for await (const chunk of xlsxStream(table) as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    rows: ROWS,
    megabytes: +(bytes / 2 ** 20).toFixed(1),
    seconds: +seconds.toFixed(1),
    rows_per_second: Math.round(ROWS / seconds),
    rss_baseline_mib: Math.round(baseline),
    rss_peak_mib: Math.round(peak),
    rss_growth_mib: Math.round(peak - baseline),
    load_average: { before: load, after: loadAverage() },
  }),
);
