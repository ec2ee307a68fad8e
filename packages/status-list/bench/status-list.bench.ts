/**
 * Size of published status lists, and the time to encode and decode them.
 *
 * Revoked entries sit at random indexes, as the spec advises issuers to assign them (§2.1), which
 * is the hard case for GZIP. A fixed seed keeps the figures reproducible.
 *
 * Run: pnpm bench:status-list  (writes bench/results/status-list.json)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createStatusList, updateStatuses } from "../src/bitstring";
import { buildStatusListCredential, signStatusListCredential } from "../src/credential";
import { decodeStatusList, encodeStatusList } from "../src/encoding";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomIndexes(length: number, count: number, seed: number): Set<number> {
  const rnd = mulberry32(seed);
  const out = new Set<number>();
  while (out.size < count) out.add(Math.floor(rnd() * length));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function time(fn: () => void, runs: number): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as {
  privateKey: Parameters<typeof signStatusListCredential>[1];
};

const cases = [
  { entries: 131_072, revokedPercent: 0 },
  { entries: 131_072, revokedPercent: 1 },
  { entries: 1_000_000, revokedPercent: 0 },
  { entries: 1_000_000, revokedPercent: 1 },
  { entries: 1_000_000, revokedPercent: 10 },
];

const results = [];
for (const c of cases) {
  const length = Math.ceil(c.entries / 8) * 8;
  const revoked = randomIndexes(length, Math.round((c.entries * c.revokedPercent) / 100), 20270301);
  const list = updateStatuses(createStatusList(length), { set: revoked });
  const encoded = encodeStatusList(list);
  const jwt = await signStatusListCredential(
    buildStatusListCredential({
      url: "https://issuer.example/status/revocation/1",
      issuer: "did:web:issuer.example",
      purpose: "revocation",
      list,
    }),
    keys.privateKey,
  );
  const row = {
    entries: c.entries,
    revokedPercent: c.revokedPercent,
    revoked: revoked.size,
    uncompressedBytes: list.bytes.length,
    encodedListChars: encoded.length,
    gzipBytes: Math.floor(((encoded.length - 1) * 3) / 4),
    signedJwtBytes: jwt.length,
    encodeMs: Number(time(() => encodeStatusList(list), 5).toFixed(2)),
    decodeMs: Number(time(() => decodeStatusList(encoded), 5).toFixed(2)),
  };
  results.push(row);
  console.log(
    `${String(c.entries).padStart(9)} entries, ${String(c.revokedPercent).padStart(2)}% revoked: ` +
      `encodedList ${row.encodedListChars} chars (${row.gzipBytes} B gzip, ${row.uncompressedBytes} B raw), ` +
      `signed JWT ${row.signedJwtBytes} B, encode ${row.encodeMs} ms, decode ${row.decodeMs} ms`,
  );
}

const out = fileURLToPath(new URL("../../../bench/results/status-list.json", import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      name: "status-list",
      date: new Date().toISOString(),
      node: process.version,
      note: "revoked indexes uniformly random (seed 20270301); GZIP level 9 via fflate; times are medians of 5 runs",
      results,
    },
    null,
    2,
  ) + "\n",
);
console.log(`wrote ${out}`);
