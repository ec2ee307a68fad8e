/**
 * Credential signing and verification rates against raw node:crypto Ed25519, on one core.
 *
 *   pnpm bench:credentials            (from the repo root)
 *   pnpm bench:credentials --veramo   (also times a Veramo agent round trip, for comparison)
 *
 * Prints the figures and writes bench/results/credentials.json at the repo root.
 */
import { KeyObject, sign, verify } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { backend } from "#crypto";
import { generateKeyPair } from "../src/keys";
import { signCredential } from "../src/sign";
import { createDemoIssuer, demoEntitlementInput } from "../src/testing";
import { veramoDemoCredential } from "./veramo-credential";
import { verifyCredential } from "../src/verify";
import { signPresentation, verifyPresentation } from "../src/presentation";

/** Seconds of measurement per figure (BENCH_SECONDS to change). */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const withVeramo = process.argv.includes("--veramo");

type Op = () => unknown;

/** Runs batches of `fn` for about `ms`; returns [operations, elapsed ms]. Sync functions are not awaited. */
async function slice(fn: Op, sync: boolean, ms: number): Promise<[number, number]> {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    if (sync) for (let i = 0; i < 50; i++) fn();
    else for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return [n, performance.now() - start];
}

/**
 * Rates of several operations measured in interleaved slices (round robin, 100 ms each), so that a
 * change in load on a shared machine hits all of them alike and their ratios stay meaningful.
 */
async function rates(ops: Record<string, Op>): Promise<Record<string, number>> {
  const entries = Object.entries(ops).map(([name, fn]) => ({ name, fn, sync: !(fn() instanceof Promise), n: 0, ms: 0 }));
  for (const e of entries) await slice(e.fn, e.sync, 100); // warm-up: JIT, key caches
  const rounds = Math.max(1, Math.round((SECONDS * 1000) / 100));
  for (let r = 0; r < rounds; r++) {
    for (const e of entries) {
      const [n, ms] = await slice(e.fn, e.sync, 100);
      e.n += n;
      e.ms += ms;
    }
  }
  const out: Record<string, number> = {};
  for (const e of entries) {
    out[e.name] = (e.n * 1000) / e.ms;
    console.log(`${e.name.padEnd(34)} ${Math.round(out[e.name] ?? 0).toLocaleString("en").padStart(9)} /s`);
  }
  return out;
}

const now = new Date("2027-03-15T12:00:00Z");
const { key: issuer, trust } = await createDemoIssuer({ name: "Bench ministry" });
const holder = await generateKeyPair();
const input = demoEntitlementInput({ holder: holder.did });

const jwt = await signCredential(input, issuer);
const check = await verifyCredential(jwt, trust, { now });
if (!check.valid) throw new Error(`bench credential does not verify: ${check.code}`);

// Raw: node:crypto one-shot Ed25519 over the same signing input Haki signs.
const signingInput = Buffer.from(jwt.slice(0, jwt.lastIndexOf(".")), "latin1");
const priv = KeyObject.from(issuer.privateKey);
const pub = KeyObject.from(issuer.publicKey);
const rawSig = sign(null, signingInput, priv);

// Optional comparison: a Veramo agent round trip (did:key Ed25519, JWT proofs), same claims.
const veramoOps: Record<string, Op> = {};
if (withVeramo) {
  const { createHakiAgent } = await import("../src/agent");
  const agent = await createHakiAgent({ trust });
  const id = await agent.didManagerCreate({ provider: "did:key", kms: "local", options: { keyType: "Ed25519" } });
  const credential = veramoDemoCredential(id.did, holder.did, input.subject);
  const vc = await agent.createVerifiableCredential({ credential, proofFormat: "jwt" });
  veramoOps["Veramo createVerifiableCredential"] = () => agent.createVerifiableCredential({ credential, proofFormat: "jwt" });
  veramoOps["Veramo verifyCredential"] = () => agent.verifyCredential({ credential: vc, policies: { now: now.getTime() / 1000 } });
}

console.log(`Entitlement VC-JWT: ${jwt.length} characters; node ${process.version}; crypto backend ${backend.name}; ${SECONDS}s per figure\n`);
const vp = await signPresentation(jwt, holder, { now });
const r = await rates({
  "raw node:crypto Ed25519 sign": () => sign(null, signingInput, priv),
  "Haki signCredential": () => signCredential(input, issuer),
  "raw node:crypto Ed25519 verify": () => verify(null, signingInput, pub, rawSig),
  "Haki verifyCredential": () => verifyCredential(jwt, trust, { now }),
  "Haki verifyPresentation (2 sigs)": () => verifyPresentation(vp, trust, { now }),
  ...veramoOps,
});
const rawSign = r["raw node:crypto Ed25519 sign"] ?? NaN;
const hakiSign = r["Haki signCredential"] ?? NaN;
const rawVerify = r["raw node:crypto Ed25519 verify"] ?? NaN;
const hakiVerify = r["Haki verifyCredential"] ?? NaN;
const vpVerify = r["Haki verifyPresentation (2 sigs)"] ?? NaN;

const results: Record<string, unknown> = {
  node: process.version,
  crypto_backend: backend.name,
  seconds_per_figure: SECONDS,
  credential_chars: jwt.length,
  raw_sign_per_s: Math.round(rawSign),
  raw_verify_per_s: Math.round(rawVerify),
  sign_per_s: Math.round(hakiSign),
  verify_per_s: Math.round(hakiVerify),
  sign_ratio: Number((hakiSign / rawSign).toFixed(3)),
  verify_ratio: Number((hakiVerify / rawVerify).toFixed(3)),
  presentation_verify_per_s: Math.round(vpVerify),
  target_ratio: 0.5,
};
if (withVeramo) {
  const veramoSign = r["Veramo createVerifiableCredential"] ?? NaN;
  const veramoVerify = r["Veramo verifyCredential"] ?? NaN;
  results.veramo_sign_per_s = Math.round(veramoSign);
  results.veramo_verify_per_s = Math.round(veramoVerify);
  results.veramo_sign_ratio = Number((veramoSign / rawSign).toFixed(3));
  results.veramo_verify_ratio = Number((veramoVerify / rawVerify).toFixed(3));
}

console.log(
  `\nsign   ${(hakiSign / rawSign * 100).toFixed(1)}% of raw (target >= 50%)` +
    `\nverify ${(hakiVerify / rawVerify * 100).toFixed(1)}% of raw (target >= 50%)`,
);
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/credentials.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
