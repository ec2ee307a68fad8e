/**
 * Verification throughput in Node, next to the raw node:crypto Ed25519 verify rate of the same
 * run: batch re-verification of redemption receipts (what the issuer does with each device's
 * receipts, `verifyReceipt` with the enrolled key) and of entitlement credentials
 * (`verifyCredential` against the trust list), one core each.
 *   npx tsx issuer/bench/verify.bench.ts [size=100000]
 * Prints the figures and writes bench/results/verify.json.
 */
import { signCredential } from "@haki/credentials/sign";
import { verifyCredential } from "@haki/credentials/verify";
import { generateKeyPair, withIdentifier } from "@haki/credentials/keys";
import { trustListOf } from "@haki/credentials/trust";
import {
  entitlementKey,
  newReceiptId,
  signReceipt,
  verifyReceipt,
  type Receipt,
} from "@haki/redemption/receipts";
import { commandLine, machine, rawEd25519Rates, sizeArg, writeResult } from "./lib";

const size = sizeArg(100_000);
const issuerDid = "did:web:issuer.bench.test";

// Receipts from 20 devices, as a day's intake from a district would be.
const devices = await Promise.all(
  Array.from({ length: 20 }, async (_, i) => {
    const k = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const jwk = await crypto.subtle.exportKey("jwk", (k as CryptoKeyPair).publicKey);
    return {
      id: `dev-${i}`,
      privateKey: (k as CryptoKeyPair).privateKey,
      jwk: { kty: "OKP" as const, crv: "Ed25519" as const, x: jwk.x! },
    };
  }),
);
const keyOf = new Map(devices.map((d) => [d.id, d.jwk]));
let t = performance.now();
const receipts: string[] = [];
for (let i = 0; i < size; i++) {
  const d = devices[i % devices.length]!;
  const fields = {
    issuer: issuerDid,
    programme: "cash",
    cycle: "2027-03",
    beneficiary: `HK-${String(i).padStart(10, "0")}`,
  };
  const r: Receipt = {
    v: 1,
    id: newReceiptId(),
    entitlement: entitlementKey(fields),
    ...fields,
    credential: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    servicePoint: "sp-1",
    device: d.id,
    redemption: "single",
    handedOver: { type: "Cash", amount: 2500, currency: "KES" },
    remaining: 0,
    at: 1_804_000_000 + i,
    visualCheck: false,
  };
  receipts.push(await signReceipt(r, { privateKey: d.privateKey, deviceId: d.id }));
}
console.log(
  `${size.toLocaleString("en")} receipts signed in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const issuer = withIdentifier(await generateKeyPair(), issuerDid, "key-1");
const trust = trustListOf({
  did: issuerDid,
  name: "Bench issuer",
  keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }],
});
const credentials: string[] = [];
for (let i = 0; i < size; i++) {
  credentials.push(
    await signCredential(
      {
        issuer: issuerDid,
        id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        subject: {
          beneficiary: `HK-${String(i).padStart(10, "0")}`,
          programme: { id: "cash", name: "Cash transfer" },
          cycle: "2027-03",
          benefit: { type: "Cash", amount: 2500, currency: "KES" },
          redemption: "single",
        },
        validFrom: new Date("2027-03-01T00:00:00Z"),
        validUntil: new Date("2027-04-01T00:00:00Z"),
        status: {
          revocationList: "https://issuer.bench.test/status/1/revocation",
          suspensionList: "https://issuer.bench.test/status/1/suspension",
          index: i % 131_072,
        },
      },
      issuer,
    ),
  );
}

const rawBefore = rawEd25519Rates();
t = performance.now();
let ok = 0;
for (const jws of receipts) if ((await verifyReceipt(jws, (id) => keyOf.get(id))).device) ok++;
const receiptSeconds = (performance.now() - t) / 1000;
if (ok !== size) throw new Error(`${ok} of ${size} receipts verified`);
const now = new Date("2027-03-10T10:00:00Z");
t = performance.now();
ok = 0;
for (const jwt of credentials) if ((await verifyCredential(jwt, trust, { now })).valid) ok++;
const credentialSeconds = (performance.now() - t) / 1000;
if (ok !== size) throw new Error(`${ok} of ${size} credentials verified`);
const rawAfter = rawEd25519Rates();
const raw = Math.round((rawBefore.raw_verify_per_s + rawAfter.raw_verify_per_s) / 2);

const receiptsPerS = Math.round(size / receiptSeconds);
const credentialsPerS = Math.round(size / credentialSeconds);
const result = {
  command: commandLine(),
  machine: machine(),
  at: new Date().toISOString(),
  size,
  raw_verify_per_s: raw,
  receipts: {
    verified: size,
    seconds: +receiptSeconds.toFixed(2),
    per_s: receiptsPerS,
    ratio: +(receiptsPerS / raw).toFixed(3),
  },
  credentials: {
    verified: size,
    seconds: +credentialSeconds.toFixed(2),
    per_s: credentialsPerS,
    ratio: +(credentialsPerS / raw).toFixed(3),
  },
};
console.log(
  `raw node:crypto Ed25519 verify ${raw.toLocaleString("en")}/s (one core)\n` +
    `receipts (verifyReceipt)       ${receiptsPerS.toLocaleString("en")}/s = ${result.receipts.ratio} of raw\n` +
    `credentials (verifyCredential) ${credentialsPerS.toLocaleString("en")}/s = ${result.credentials.ratio} of raw\n` +
    `load average ${result.machine.load_average.join(" ")}\ncommand: ${commandLine()}\nwrote ${writeResult("verify", result)}`,
);
