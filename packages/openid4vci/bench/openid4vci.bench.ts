/**
 * Full pre-authorised flows per second, wallet and issuer in one process (fake fetch, memory store,
 * real Ed25519 proofs and credential signatures). Writes bench/results/openid4vci.json.
 *
 *   cd packages/openid4vci && npx tsx bench/openid4vci.bench.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCredentialOfferUri, receiveCredential } from "../src/client";
import { makeHarness, makeHolder } from "../src/lib/test-harness";
import { registerOffer } from "../src/server";

const h = await makeHarness({ maxTxCodeAttempts: 5 });
const { holder } = await makeHolder();
async function once(i: number): Promise<void> {
  const { offerUri, txCode } = await registerOffer({
    config: h.deps.config, store: h.store, id: `bench-${i}`, expiresAt: new Date(h.clock.now.getTime() + 3600_000), txCodeLength: 6,
  });
  await receiveCredential({ offer: await parseCredentialOfferUri(offerUri), txCode, holder, fetch: h.fetch, now: () => h.clock.now });
}
for (let i = 0; i < 20; i++) await once(-1 - i); // warm-up
const n = 300;
const start = performance.now();
for (let i = 0; i < n; i++) await once(i);
const ms = performance.now() - start;
const result = { flows: n, ms: Math.round(ms), flowsPerSecond: Math.round((n / ms) * 1000), msPerFlow: +(ms / n).toFixed(2) };
console.log(`${n} offers registered and received (metadata, token with PIN, nonce, credential): ${result.ms} ms, ${result.flowsPerSecond} flows/s, ${result.msPerFlow} ms each`);
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/openid4vci.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, result }, null, 2)}\n`);
console.log(`wrote ${out}`);
