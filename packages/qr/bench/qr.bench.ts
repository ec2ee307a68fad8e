/**
 * QR payload sizes, two ways, each with its QR version at ECC M:
 *
 * 1. Credentials the running issuer really issues: a temporary SQLite database is seeded exactly as
 *    `npm start` does (the issuer's `seed` and `seed:demo`: 2,000 synthetic households from
 *    @haki/demo-data, a cash and an in-kind programme, approved and issued by the issuance job).
 *    For each programme the beneficiary with the longest display name is taken: the paper card is
 *    the credential the job stored; the phone proof is the wallet's own `createProof` (wallet code,
 *    in-memory IndexedDB) of the credential the issuer's OpenID4VCI endpoint code signs for the
 *    wallet's holder key. Each proof is read back the verifier's way (`decodeReferences` of the
 *    issuer's signed trust bundle) and verified. VC 1.1 (what the issuer signs today) and VC 2.0
 *    (`vc+jwt` from the issuer's own entitlement input and key, the default of new cycles once
 *    phase 2 of issue 17 lands).
 * 2. The demo fixture (`src/lib/demo.ts`), as before, with and without issuer references.
 *
 * Writes bench/results/qr.json.
 *
 *   pnpm bench:qr            (add -- --fixture-only to skip the issuer)
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exportPrivateJwk, generateKeyPair } from "@haki/credentials/keys";
import { verifyPresentation } from "@haki/credentials/presentation";
import { trustListOf } from "@haki/credentials/trust";
import { verifyCredential } from "@haki/credentials/verify";
import { decodeProof, decodeReferences, encodeProofWithFormat } from "../src/codec";
import { credentialJson, pixelPassEncode } from "../src/lib/foreign";
import { demoSetups, makeKey, signDemoPresentation, signEntitlement } from "../src/lib/demo";
import { qrVersionFor } from "../src/version";

const TARGET_CREDENTIAL = 311; // QR version 10-M, alphanumeric
const TARGET_PRESENTATION = 412; // QR version 12-M, alphanumeric
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const size = (text: string): string => {
  const v = qrVersionFor(text, "M");
  return `${String(text.length).padStart(4)} chars, ${v === undefined ? "too large for any QR code at M" : `QR ${v}-M`}`;
};
const figure = (text: string) => ({ chars: text.length, qr_version: qrVersionFor(text, "M") ?? null });

// ---- 1. what the issuer really issues -------------------------------------------------------

interface Issued {
  issuer: string;
  bundle: string;
  credentials: {
    benefitType: string;
    name: string;
    /** issued: what the issuer stored and delivered; registry: a longest registry name on the same entitlement. */
    source: "issued" | "registry";
    entitled: number;
    vc1: { paper: string; bound: string };
    vc2: { paper: string; bound: string };
  }[];
  /** Paper cards of the same entitlements in a programme that binds its cards to national IDs (issue 16). */
  boundPaper: { benefitType: string; name: string; vc1: string; vc2: string; older: { vc1: string; vc2: string } }[];
}

function run(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd, env, input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

async function realCredentials() {
  const dir = mkdtempSync(join(tmpdir(), "haki-bench-qr-"));
  try {
    const env = {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: `file:${join(dir, "haki.db")}`,
      HAKI_PUBLIC_URL: "http://localhost:3000", // the running demo's issuer (`npm start`)
      HAKI_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      HAKI_REGISTRY_HASH_KEY: randomBytes(32).toString("base64"),
      HAKI_DATA_DIR: dir,
      HAKI_INPROCESS_WORKER: "false",
      HAKI_SEED_PASSWORD: randomBytes(12).toString("base64url"),
    };
    const issuerDir = join(ROOT, "issuer");
    const t0 = performance.now();
    run("src/server/cli/seed.ts", [], issuerDir, env);
    run("src/server/cli/seed-demo.ts", [], issuerDir, env);
    const seeded = (performance.now() - t0) / 1000;
    const holder = await generateKeyPair();
    const holderJwk = JSON.stringify(await exportPrivateJwk(holder));
    const issued = JSON.parse(run(join(ROOT, "e2e/bench/issued-credentials.ts"), [], issuerDir, { ...env, HAKI_BENCH_HOLDER_JWK: holderJwk })) as Issued;

    // The verifier's side: the issuer's trust bundle (its payload; signature checks are the verifier's own tests).
    const bundle = JSON.parse(Buffer.from(issued.bundle.split(".")[1] ?? "", "base64url").toString()) as {
      issuers: { did: string; name: string; keys: { id: string; publicKeyJwk: never }[] }[];
      programmes: { id: string; name: string }[];
    };
    const references = decodeReferences(bundle.issuers, bundle.programmes);
    const trust = trustListOf(...bundle.issuers.map((i) => ({ did: i.did, name: i.name, keys: i.keys })));

    const now = new Date();
    const bound = issued.credentials.flatMap((c) => [c.vc1.bound, c.vc2.bound]);
    const walletProofs = async (counterCode?: string) =>
      JSON.parse(
        run(join(ROOT, "e2e/bench/wallet-proofs.ts"), [], join(ROOT, "wallet"), process.env, JSON.stringify({ holderJwk: await exportPrivateJwk(holder), credentials: bound, now: now.toISOString(), counterCode })),
      ) as string[];
    const proofs = await walletProofs();
    // Issue 12, relay: the same proofs with the counter code the person typed (4 digits, signed in).
    const coded = await walletProofs("0427");

    console.log(`targets: paper card <= ${TARGET_CREDENTIAL}, phone proof <= ${TARGET_PRESENTATION}`);
    const rows = [];
    let i = 0;
    for (const c of issued.credentials) {
      for (const format of ["vc1", "vc2"] as const) {
        const codedProof = coded[i]!;
        const proof = proofs[i++]!;
        const codedVp = await verifyPresentation(decodeProof(codedProof, references).jwt, trust, { now, nonce: "0427" });
        if (!codedVp.valid) throw new Error(`${c.benefitType} ${format} with a counter code: ${codedVp.code}`);
        const paper = encodeProofWithFormat(c[format].paper, { issuers: [issued.issuer] }); // as the issuer prints cards
        const decodedProof = decodeProof(proof, references);
        const decodedPaper = decodeProof(paper.payload, references);
        if (decodedProof.credentialJwt !== c[format].bound || decodedPaper.jwt !== c[format].paper) throw new Error(`${c.benefitType} ${format}: not the signed bytes`);
        const vp = await verifyPresentation(decodedProof.jwt, trust, { now });
        const card = await verifyCredential(decodedPaper.jwt, trust, { now });
        if (!vp.valid || !card.valid) throw new Error(`${c.benefitType} ${format}: ${vp.valid ? "" : vp.code} ${card.valid ? "" : card.code}`);
        rows.push({
          benefit: c.benefitType,
          source: c.source,
          format,
          name: c.name,
          name_utf8_bytes: new TextEncoder().encode(c.name).length,
          vc_jwt_chars: c[format].paper.length,
          paper_card: figure(paper.payload),
          phone_proof: figure(proof),
          phone_proof_with_counter_code: figure(codedProof),
          paper_format: paper.format,
          proof_format: decodedProof.format,
        });
        const label = c.source === "issued" ? `issued (longest of ${c.entitled})` : "registry name";
        console.log(
          `${c.benefitType.padEnd(6)} ${format} ${label.padEnd(24)} ${`"${c.name}"`.padEnd(26)} VC-JWT ${c[format].paper.length}, paper card ${size(paper.payload)}, phone proof ${size(proof)} (with a counter code ${size(codedProof)})`,
        );
      }
    }
    // Paper cards bound to a national ID: the binding (about 110 characters of JSON) rides in the QR,
    // its salt derived from the card's id and status entry (left out of the QR); the same card as
    // issued before 2026-12-07 (random salt, carried) next to it, which must keep verifying.
    const boundRows = [];
    for (const c of issued.boundPaper) {
      for (const [salt, jwts] of [["derived", c], ["random (older card)", c.older]] as const) {
        for (const format of ["vc1", "vc2"] as const) {
          const paper = encodeProofWithFormat(jwts[format], { issuers: [issued.issuer] });
          const decoded = decodeProof(paper.payload, references);
          if (decoded.jwt !== jwts[format]) throw new Error(`bound ${c.benefitType} ${format}: not the signed bytes`);
          const card = await verifyCredential(decoded.jwt, trust, { now });
          if (!card.valid) throw new Error(`bound ${c.benefitType} ${format}: ${card.code}`);
          boundRows.push({ benefit: c.benefitType, format, salt, name: c.name, vc_jwt_chars: jwts[format].length, paper_card: figure(paper.payload), paper_format: paper.format });
          const label = salt === "derived" ? "bound to a national ID" : "bound, older (salt in QR)";
          console.log(`${c.benefitType.padEnd(6)} ${format} ${label.padEnd(24)} ${`"${c.name}"`.padEnd(26)} VC-JWT ${jwts[format].length}, paper card ${size(paper.payload)}`);
        }
      }
    }
    return { seeded_seconds: Number(seeded.toFixed(1)), issuer: issued.issuer, rows, bound_paper_rows: boundRows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 2. the fixture -----------------------------------------------------------------------

async function fixture() {
  const holder = await makeKey();
  const rows = [];
  for (const setup of await demoSetups(holder)) {
    const vc = await signEntitlement(setup.input, setup.issuer);
    const vp = await signDemoPresentation(vc, holder);
    const refs = { issuers: [setup.issuer.did], keys: [setup.issuer.kid], programmes: [setup.input.subject.programme] };
    const encoded = {
      credential: encodeProofWithFormat(vc, { issuers: refs.issuers }),
      presentation: encodeProofWithFormat(vp, refs),
      credentialSelfContained: encodeProofWithFormat(vc),
      presentationSelfContained: encodeProofWithFormat(vp),
    };
    for (const [name, e] of Object.entries(encoded)) {
      if (e.format !== "compact") throw new Error(`${setup.label} ${name}: fell back to generic (${e.fallbackReason})`);
      if (decodeProof(e.payload, refs).jwt !== (name.startsWith("credential") ? vc : vp)) throw new Error(`${setup.label} ${name}: round trip failed`);
    }
    console.log(`\nfixture, ${setup.label}`);
    console.log(`  VC-JWT (byte mode)              ${size(vc)}`);
    console.log(`  VP-JWT (byte mode)              ${size(vp)}`);
    const pixelpass = pixelPassEncode(credentialJson(vc));
    console.log(`  PixelPass (W3C JSON of the VC)  ${size(pixelpass)}`);
    console.log(`  paper card                      ${size(encoded.credential.payload)}   self-contained: ${size(encoded.credentialSelfContained.payload)}`);
    console.log(`  phone proof                     ${size(encoded.presentation.payload)}   self-contained: ${size(encoded.presentationSelfContained.payload)}`);
    rows.push({
      setup: setup.label,
      jwt_chars: vc.length,
      vp_jwt_chars: vp.length,
      pixelpass_chars: pixelpass.length,
      credential_chars: encoded.credential.payload.length,
      presentation_chars: encoded.presentation.payload.length,
      credential_self_contained_chars: encoded.credentialSelfContained.payload.length,
      presentation_self_contained_chars: encoded.presentationSelfContained.payload.length,
    });
    if (rows.length === 1) {
      let t = performance.now();
      for (let k = 0; k < 300; k++) encodeProofWithFormat(vp, refs);
      const encodeMs = (performance.now() - t) / 300;
      t = performance.now();
      for (let k = 0; k < 300; k++) decodeProof(encoded.presentation.payload, refs);
      const decodeMs = (performance.now() - t) / 300;
      Object.assign(rows[0]!, { encode_ms: Number(encodeMs.toFixed(3)), decode_ms: Number(decodeMs.toFixed(3)) });
    }
  }
  return rows;
}

const fixtureOnly = process.argv.includes("--fixture-only");
const issuer = fixtureOnly ? undefined : await realCredentials();
const fixtures = await fixture();
const worst = (pick: (r: NonNullable<typeof issuer>["rows"][number]) => { chars: number }) => Math.max(...(issuer?.rows ?? []).map((r) => pick(r).chars));
const result = {
  targets: { presentation_chars: TARGET_PRESENTATION, credential_chars: TARGET_CREDENTIAL },
  issued: issuer && {
    ...issuer,
    worst_phone_proof_chars: worst((r) => r.phone_proof),
    worst_phone_proof_with_counter_code_chars: worst((r) => r.phone_proof_with_counter_code),
    worst_paper_card_chars: worst((r) => r.paper_card),
    worst_bound_paper_card_chars: Math.max(...(issuer?.bound_paper_rows ?? []).filter((r) => r.salt === "derived").map((r) => r.paper_card.chars)),
    worst_older_bound_paper_card_chars: Math.max(...(issuer?.bound_paper_rows ?? []).filter((r) => r.salt !== "derived").map((r) => r.paper_card.chars)),
  },
  fixture: fixtures,
};
if (issuer) {
  console.log(
    `
real issued credentials, worst of cash / in-kind x VC 1.1 / VC 2.0 with the longest demo names: phone proof ${result.issued!.worst_phone_proof_chars}, with a counter code ${result.issued!.worst_phone_proof_with_counter_code_chars} (target ${TARGET_PRESENTATION}), paper card ${result.issued!.worst_paper_card_chars} (target ${TARGET_CREDENTIAL}), paper card bound to a national ID ${result.issued!.worst_bound_paper_card_chars} (target ${TARGET_CREDENTIAL}; the same cards with the salt in the QR, as issued before: ${result.issued!.worst_older_bound_paper_card_chars}); demo seeded and issued in ${issuer.seeded_seconds} s`,
  );
}
const out = resolve(ROOT, "bench/results/qr.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
console.log(`wrote ${out}`);
