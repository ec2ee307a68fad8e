/**
 * DCI connector throughput: N spec-shaped Group records (household head + 4 members each) served
 * by the mock registry over HTTP on 127.0.0.1, read through `createDciConnector` page by page,
 * once plain and once with every page's Ed25519 envelope signature verified. Records are generated
 * lazily per page, so the heap figure is the connector's, not the fixture's.
 *   npx tsx packages/registry/bench/dci.bench.ts [size=50000] [--page 1000]
 * Prints the figures and writes bench/results/dci.json.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createDciConnector, DCI_DEFAULT_MAPPINGS } from "../src/dci";
import { createDciTestKey, startMockDciRegistry, type MockDciRecords } from "../src/dci-testing";

const args = process.argv.slice(2);
const size = Number(args.find((a) => /^\d+$/.test(a)) ?? 50_000);
const pageIndex = args.indexOf("--page");
const pageSize = pageIndex >= 0 ? Number(args[pageIndex + 1]) : 1000;

function person(id: string, given: string) {
  return {
    "@type": "SRPerson",
    identifier: [{ "@type": "Identifier", identifier_type: "NationalID", identifier_value: `N${id}` }],
    name: { "@type": "Name", given_name: given, surname: "Mwangi" },
    sex: "female",
    birth_date: "1985-05-20T00:00:00Z",
    address: [{ "@type": "Address", street_address: "Plot 4", city: "Kisumu", postal_code: "40100", country: "KE" }],
  };
}

function household(i: number) {
  const id = `H-${String(i).padStart(8, "0")}`;
  return {
    "@type": "spdci:Group",
    group_identifier: [{ "@type": "Identifier", identifier_type: "HOUSEHOLD_ID", identifier_value: id }],
    group_type: "family",
    poverty_score: (i % 100) + 0.5,
    group_size: (i % 9) + 1,
    group_head_info: { "@type": "spdci:Member", member_identifier: [{ identifier_type: "NationalID", identifier_value: `M${i}` }], demographic_info: person(`${i}-0`, "Amina") },
    member_list: ["Juma", "Grace", "Ali", "Zawadi"].map((g, k) => ({ "@type": "Member", member_identifier: `M${i}-${k}`, demographic_info: person(`${i}-${k + 1}`, g) })),
    registration_date: "2022-01-10T08:00:00Z",
  };
}

const records: MockDciRecords = {
  length: size,
  slice: (start, end) => Array.from({ length: Math.max(0, Math.min(end, size) - start) }, (_, k) => household(start + k + 1)),
};

async function run(label: string, verify: boolean) {
  const key = await createDciTestKey("bench-key");
  const registry = await startMockDciRegistry({ records, ...(verify ? { sign: key } : {}) });
  try {
    const connector = createDciConnector({
      baseUrl: registry.url,
      senderId: "haki",
      receiverId: "sr.example.gov",
      query: { queryType: "idtype-value", query: { type: "PROGRAMME", value: "CT" } },
      pageSize,
      mapping: { ...DCI_DEFAULT_MAPPINGS.Group },
      ...(verify ? { jwksUrl: registry.jwksUrl } : {}),
    });
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let ok = 0;
    let bytes = 0;
    const t0 = performance.now();
    for await (const item of connector.read({ onProgress: (p) => (bytes = p.bytes ?? bytes) })) {
      if (item.ok) ok++;
      if (ok % 5000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (ok !== size) throw new Error(`${label}: read ${ok} of ${size}`);
    const row = {
      label,
      records: ok,
      pages: Math.ceil(size / pageSize),
      response_mib: Math.round((bytes / 2 ** 20) * 10) / 10,
      seconds: Math.round(seconds * 100) / 100,
      records_per_s: Math.round(ok / seconds),
      heap_growth_mib: Math.round((peakHeap - heapBefore) / 2 ** 20),
    };
    console.log(`${label}: ${ok.toLocaleString("en")} records, ${row.pages} pages, ${row.response_mib} MiB in ${row.seconds} s = ${row.records_per_s.toLocaleString("en")} records/s (mock registry in the same process), heap +${row.heap_growth_mib} MiB`);
    return row;
  } finally {
    await registry.close();
  }
}

const results = [await run("plain", false), await run("signature verified", true)];
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/dci.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      command: `npx tsx packages/registry/bench/dci.bench.ts ${size} --page ${pageSize}`,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version, load_average: loadavg().map((l) => Math.round(l * 100) / 100) },
      at: new Date().toISOString(),
      page_size: pageSize,
      results,
    },
    null,
    2,
  ) + "\n",
);
console.log(`wrote ${out}`);
