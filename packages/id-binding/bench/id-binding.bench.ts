/**
 * What the ID binding costs the counter and what it costs an attacker, measured on this machine:
 * - the check as a service point runs it (JavaScript: @noble/hashes HMAC + scrypt, the browser's code);
 * - the attacker's rate: native OpenSSL scrypt (node:crypto) with the same parameters, on one core and
 *   on every core at once (the physical limit here);
 * then the time to try every ID number for ONE card, for ID spaces of 10^8 and 10^10 numbers, with the
 * date of birth known or not, assuming the attacker holds the programme key (a stolen service point
 * device): without the key, the HMAC step leaves nothing to try. Writes bench/results/id-binding.json.
 *
 *   pnpm bench:id-binding
 */
import { scrypt as nodeScrypt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_COST, checkIdBinding, computeIdBinding, createBindingKey } from "../src/binding";

const key = createBindingKey("bench");
const facts = { id: "29-4410-7765", birthDate: "1988-01-02" };
const cost = DEFAULT_COST;
const binding = await computeIdBinding(facts, key, { cost });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeCheck(runs: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await checkIdBinding(binding, facts, [key]);
    ms.push(performance.now() - t);
    if (r.result !== "match") throw new Error("bench binding did not match");
  }
  return median(ms);
}

function native(parallel: number, rounds: number): Promise<number> {
  const salt = new Uint8Array(16);
  const one = (i: number) =>
    new Promise<void>((ok, fail) =>
      nodeScrypt(`guess-${i}`, salt, 16, { N: 2 ** cost.logN, r: cost.r, p: cost.p, maxmem: 256 * 1024 * 1024 }, (e) => (e ? fail(e) : ok())),
    );
  return (async () => {
    const t = performance.now();
    for (let r = 0; r < rounds; r++) await Promise.all(Array.from({ length: parallel }, (_, i) => one(r * parallel + i)));
    const s = (performance.now() - t) / 1000;
    return (rounds * parallel) / s; // guesses per second
  })();
}

await timeCheck(1); // warm-up
const checkMs = await timeCheck(7);
const cores = availableParallelism();
const perCore = await native(1, 12);
const allCores = await native(cores, 12);
const DAY = 86400;
const dobDays = 80 * 365.25; // ages 0-80
const estimate = (ids: number, dobKnown: boolean) => (ids * (dobKnown ? 1 : dobDays)) / allCores;
const rows = [
  { ids: 1e8, dobKnown: true },
  { ids: 1e8, dobKnown: false },
  { ids: 1e10, dobKnown: true },
  { ids: 1e10, dobKnown: false },
].map((r) => ({ ...r, secondsThisMachine: estimate(r.ids, r.dobKnown), coreDays: (r.ids * (r.dobKnown ? 1 : dobDays)) / perCore / DAY }));

console.log(`scrypt N=2^${cost.logN} r=${cost.r} p=${cost.p} (${(2 ** cost.logN * 128 * cost.r) / 2 ** 20} MiB)`);
console.log(`counter check (JavaScript, @noble/hashes): ${checkMs.toFixed(0)} ms median`);
console.log(`attacker, native OpenSSL scrypt: ${perCore.toFixed(2)} guesses/s on one core, ${allCores.toFixed(2)}/s on ${cores} cores`);
console.log(`ratio JS check / native guess on one core: ${(checkMs / 1000 / (1 / perCore)).toFixed(2)}`);
for (const r of rows) {
  console.log(
    `one card, ${r.ids.toExponential(0)} ID numbers, date of birth ${r.dobKnown ? "known" : "unknown"}: ${(r.secondsThisMachine / DAY).toFixed(0)} days on this machine, ${r.coreDays.toExponential(2)} core-days`,
  );
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/id-binding.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, cores, cost, checkMs, nativeGuessesPerSecondOneCore: perCore, nativeGuessesPerSecondAllCores: allCores, rows }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
