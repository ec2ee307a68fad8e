/**
 * Credential signing and verification rates against raw node:crypto Ed25519, on one core, for each
 * format: VC 1.1 VC-JWT, VC 2.0 `vc+jwt` (also through the compiled bulk signer) and SD-JWT VC
 * (issued, and a holder's presentation with KB-JWT: two signatures, five SHA-256 digests).
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
import { buildEntitlementCredentialV2 } from "../src/canonical";
import { issueSdJwtVc, presentSdJwtVc, verifySdJwtVc } from "../src/sd-jwt";
import { compileEntitlementSigner, signCredential } from "../src/sign";
import { trustListOf } from "../src/trust";
import { withIdentifier } from "../src/keys";
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
 * change in load on a shared machine hits all of them alike and their ratios stay meaningful. Each
 * figure is the median of its slices' rates: a burst of other work during one slice moves it less
 * than it would move a total.
 */
async function rates(ops: Record<string, Op>): Promise<Record<string, number>> {
  const entries = Object.entries(ops).map(([name, fn]) => ({ name, fn, sync: !(fn() instanceof Promise), perSlice: [] as number[] }));
  for (const e of entries) await slice(e.fn, e.sync, 100); // warm-up: JIT, key caches
  const rounds = Math.max(1, Math.round((SECONDS * 1000) / 100));
  for (let r = 0; r < rounds; r++) {
    for (const e of entries) {
      const [n, ms] = await slice(e.fn, e.sync, 100);
      e.perSlice.push((n * 1000) / ms);
    }
  }
  const out: Record<string, number> = {};
  for (const e of entries) {
    out[e.name] = median(e.perSlice);
    console.log(`${e.name.padEnd(34)} ${Math.round(out[e.name] ?? 0).toLocaleString("en").padStart(9)} /s`);
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const now = new Date("2027-03-15T12:00:00Z");
const { key: issuer, trust } = await createDemoIssuer({ name: "Bench ministry" });
const holder = await generateKeyPair();
const input = demoEntitlementInput({ holder: holder.did });

const jwt = await signCredential(input, issuer);
const jwt2 = await signCredential(input, issuer, { format: "vc2" });
for (const j of [jwt, jwt2]) {
  const check = await verifyCredential(j, trust, { now });
  if (!check.valid) throw new Error(`bench credential does not verify: ${check.code}`);
}
const bulkV2 = compileEntitlementSigner(buildEntitlementCredentialV2(input), issuer);
let serial = 0;
const bulkFields = () => ({ id: `urn:uuid:00000000-0000-7000-8000-${String(serial++).padStart(12, "0")}`, beneficiary: input.subject.beneficiary, name: input.subject.name, area: input.subject.area, revocationList: input.status.revocationList, suspensionList: input.status.suspensionList, index: serial % 131072 });

// SD-JWT VC: the issuer URL whose did:web names the demo issuer's key.
const sdIssuer = withIdentifier(issuer, "did:web:haki.example.org", "key-1");
const sdTrust = trustListOf({ did: sdIssuer.did, name: "Bench ministry", keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }] });
const sdInput = { issuerUrl: "https://haki.example.org", holder: holder.did, subject: input.subject, validFrom: input.validFrom, validUntil: input.validUntil, status: { uri: "https://haki.example.org/status/1/token", index: 42 } };
const sdJwt = await issueSdJwtVc(sdInput, sdIssuer);
const sdShown = await presentSdJwtVc(sdJwt, holder, { disclose: ["programme", "cycle", "benefit"], audience: "sp-1", nonce: "n-1", now });
for (const [p, o] of [[sdJwt, { requireKeyBinding: false }], [sdShown, { audience: "sp-1", nonce: "n-1" }]] as const) {
  const r = await verifySdJwtVc(p, sdTrust, { now, ...o });
  if (!r.valid) throw new Error(`bench SD-JWT VC does not verify: ${r.code}`);
}

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

console.log(
  `Entitlement VC-JWT ${jwt.length}, vc+jwt ${jwt2.length}, SD-JWT VC ${sdJwt.length} characters; node ${process.version}; crypto backend ${backend.name}; ${SECONDS}s per figure\n`,
);
const vp = await signPresentation(jwt, holder, { now });
const vp2 = await signPresentation(jwt2, holder, { now });
const r = await rates({
  "raw node:crypto Ed25519 sign": () => sign(null, signingInput, priv),
  "Haki signCredential": () => signCredential(input, issuer),
  "vc+jwt signCredential": () => signCredential(input, issuer, { format: "vc2" }),
  "vc+jwt compiled bulk signer": () => bulkV2(bulkFields()),
  "SD-JWT VC issue": () => issueSdJwtVc(sdInput, sdIssuer),
  "raw node:crypto Ed25519 verify": () => verify(null, signingInput, pub, rawSig),
  "Haki verifyCredential": () => verifyCredential(jwt, trust, { now }),
  "vc+jwt verifyCredential": () => verifyCredential(jwt2, trust, { now }),
  "SD-JWT VC verify (issued)": () => verifySdJwtVc(sdJwt, sdTrust, { now, requireKeyBinding: false }),
  "Haki verifyPresentation (2 sigs)": () => verifyPresentation(vp, trust, { now }),
  "vp+jwt verifyPresentation": () => verifyPresentation(vp2, trust, { now }),
  "SD-JWT VC verify (KB-JWT)": () => verifySdJwtVc(sdShown, sdTrust, { now, audience: "sp-1", nonce: "n-1" }),
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
  formats: Object.fromEntries(
    (
      [
        ["vc1_jwt", "Haki signCredential", "Haki verifyCredential", "Haki verifyPresentation (2 sigs)"],
        ["vc_jwt", "vc+jwt signCredential", "vc+jwt verifyCredential", "vp+jwt verifyPresentation"],
        ["vc_jwt_compiled_bulk", "vc+jwt compiled bulk signer", undefined, undefined],
        ["sd_jwt_vc", "SD-JWT VC issue", "SD-JWT VC verify (issued)", "SD-JWT VC verify (KB-JWT)"],
      ] as const
    ).map(([name, s, v, p]) => [
      name,
      {
        sign_per_s: Math.round(r[s] ?? NaN),
        sign_ratio: Number(((r[s] ?? NaN) / rawSign).toFixed(3)),
        ...(v ? { verify_per_s: Math.round(r[v] ?? NaN), verify_ratio: Number(((r[v] ?? NaN) / rawVerify).toFixed(3)) } : {}),
        ...(p ? { presentation_verify_per_s: Math.round(r[p] ?? NaN) } : {}),
      },
    ]),
  ),
};
if (withVeramo) {
  const veramoSign = r["Veramo createVerifiableCredential"] ?? NaN;
  const veramoVerify = r["Veramo verifyCredential"] ?? NaN;
  results.veramo_sign_per_s = Math.round(veramoSign);
  results.veramo_verify_per_s = Math.round(veramoVerify);
  results.veramo_sign_ratio = Number((veramoSign / rawSign).toFixed(3));
  results.veramo_verify_ratio = Number((veramoVerify / rawVerify).toFixed(3));
}

const pct = (a: number | undefined, b: number) => `${(((a ?? NaN) / b) * 100).toFixed(1)}%`.padStart(6);
console.log(`\nof raw Ed25519          sign    verify`);
console.log(`VC 1.1 JWT            ${pct(hakiSign, rawSign)}  ${pct(hakiVerify, rawVerify)}   (target >= 50%)`);
console.log(`vc+jwt (VC 2.0)       ${pct(r["vc+jwt signCredential"], rawSign)}  ${pct(r["vc+jwt verifyCredential"], rawVerify)}   (target >= 50%); compiled bulk signer ${pct(r["vc+jwt compiled bulk signer"], rawSign)}`);
console.log(`SD-JWT VC             ${pct(r["SD-JWT VC issue"], rawSign)}  ${pct(r["SD-JWT VC verify (issued)"], rawVerify)}   (reported as it is; with KB-JWT ${Math.round(r["SD-JWT VC verify (KB-JWT)"] ?? 0)}/s)`);
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/credentials.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
