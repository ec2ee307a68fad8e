/**
 * Paper card throughput: renders batches of mixed-script cards (Latin, Arabic, Ethiopic, Thai) with
 * a 450-character QR payload, prints cards per second and bytes per card, and writes
 * bench/results/paper-card.json.
 *
 *   cd packages/paper-card && npx tsx bench/paper-card.bench.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderCardsPdf, type Card } from "../src/render";

const NAMES = ["Amina Wanjiru", "محمد علي بن سعيد", "አበበ በቂላ", "สมชาย ใจดี", "Jean-Baptiste Nkurunziza"];
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const card = (i: number): Card => ({
  name: NAMES[i % NAMES.length] as string,
  programme: "Cash for Work",
  benefit: "KES 2,500 cash",
  validUntil: "2027-04-01",
  cardNumber: `7Q2X-${String(i).padStart(5, "0")}`,
  qrPayload: `HC1:${Array.from({ length: 446 }, (_, k) => BASE45[(i * 31 + k * 7) % 45]).join("")}`,
});

const results: Array<{ cards: number; pages: number; ms: number; cardsPerSecond: number; bytes: number; bytesPerCard: number }> = [];
await renderCardsPdf(Array.from({ length: 10 }, (_, i) => card(i))); // warm-up: font parsing, JIT
for (const n of [10, 100, 500]) {
  const start = performance.now();
  const pdf = await renderCardsPdf(Array.from({ length: n }, (_, i) => card(i)));
  const ms = performance.now() - start;
  const row = { cards: n, pages: Math.ceil(n / 10), ms: Math.round(ms), cardsPerSecond: Math.round((n / ms) * 1000), bytes: pdf.length, bytesPerCard: Math.round(pdf.length / n) };
  results.push(row);
  console.log(`${n} cards: ${row.ms} ms, ${row.cardsPerSecond} cards/s, ${row.bytes} bytes (${row.bytesPerCard} per card)`);
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/paper-card.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
console.log(`wrote ${out}`);
