/**
 * QR payload sizes for the standard demo entitlement (cash benefit, two status entries, holder key,
 * display name), for a did:web issuer with https status lists and a did:key issuer with localhost
 * lists. Prints each size with its QR version at ECC M and writes bench/results/qr.json.
 *
 *   pnpm bench:qr
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeProof, encodeProofWithFormat } from "../src/codec";
import { credentialJson, pixelPassEncode } from "../src/lib/foreign";
import { demoSetups, makeKey, signDemoPresentation, signEntitlement } from "../src/lib/demo";
import { qrVersionFor } from "../src/version";

const TARGET_CREDENTIAL = 311; // QR version 10-M, alphanumeric
const TARGET_PRESENTATION = 412; // QR version 12-M, alphanumeric

interface Row {
  setup: string;
  jwt: string;
  presentationJwt: string;
  pixelpass: string;
  credential: string;
  presentation: string;
  credentialSelfContained: string;
  presentationSelfContained: string;
}

const holder = await makeKey();
const rows: Row[] = [];
for (const setup of await demoSetups(holder)) {
  const vc = await signEntitlement(setup.input, setup.issuer);
  const vp = await signDemoPresentation(vc, holder);
  const issuers = [setup.issuer.did];
  const encoded = {
    credential: encodeProofWithFormat(vc, { issuers }),
    presentation: encodeProofWithFormat(vp, { issuers }),
    credentialSelfContained: encodeProofWithFormat(vc),
    presentationSelfContained: encodeProofWithFormat(vp),
  };
  for (const [name, e] of Object.entries(encoded)) {
    if (e.format !== "compact") throw new Error(`${setup.label} ${name}: fell back to generic (${e.fallbackReason})`);
    const back = decodeProof(e.payload, { issuers }).jwt;
    if (back !== (name.startsWith("credential") ? vc : vp)) throw new Error(`${setup.label} ${name}: round trip failed`);
  }
  rows.push({
    setup: setup.label,
    jwt: vc,
    presentationJwt: vp,
    pixelpass: pixelPassEncode(credentialJson(vc)),
    credential: encoded.credential.payload,
    presentation: encoded.presentation.payload,
    credentialSelfContained: encoded.credentialSelfContained.payload,
    presentationSelfContained: encoded.presentationSelfContained.payload,
  });
}

// Timing: a short loop, enough for an order of magnitude on a shared core.
const sample = rows[0]!.presentationJwt;
const payload = rows[0]!.presentationSelfContained;
let t = performance.now();
for (let i = 0; i < 300; i++) encodeProofWithFormat(sample);
const encodeMs = (performance.now() - t) / 300;
t = performance.now();
for (let i = 0; i < 300; i++) decodeProof(payload);
const decodeMs = (performance.now() - t) / 300;

const size = (text: string): string => {
  const v = qrVersionFor(text, "M");
  return `${text.length} chars, ${v === undefined ? "too large for any QR code at M" : `QR ${v}-M`}`;
};
for (const r of rows) {
  console.log(`\n${r.setup}`);
  console.log(`  VC-JWT (byte mode)              ${size(r.jwt)}`);
  console.log(`  VP-JWT (byte mode)              ${size(r.presentationJwt)}`);
  console.log(`  PixelPass (W3C JSON of the VC)  ${size(r.pixelpass)}`);
  console.log(`  Haki credential (paper card)    ${size(r.credential)}   self-contained: ${size(r.credentialSelfContained)}`);
  console.log(`  Haki presentation (phone)       ${size(r.presentation)}   self-contained: ${size(r.presentationSelfContained)}`);
}

/** The longest text of a column over both issuer profiles (the worse case is what we report). */
const worst = (k: keyof Omit<Row, "setup">): string => rows.map((r) => r[k]).reduce((a, b) => (b.length > a.length ? b : a));
const figure = (k: keyof Omit<Row, "setup">): { chars: number; version: number | null } => {
  const text = worst(k);
  return { chars: text.length, version: qrVersionFor(text, "M") ?? null };
};
const f = {
  jwt: figure("jwt"),
  pixelpass: figure("pixelpass"),
  presentation: figure("presentation"),
  credential: figure("credential"),
  presentationSelf: figure("presentationSelfContained"),
  credentialSelf: figure("credentialSelfContained"),
  vp: figure("presentationJwt"),
};
const result = {
  jwt_chars: f.jwt.chars,
  jwt_qr_version: f.jwt.version,
  pixelpass_chars: f.pixelpass.chars,
  pixelpass_qr_version: f.pixelpass.version,
  presentation_chars: f.presentation.chars,
  presentation_qr_version: f.presentation.version,
  credential_chars: f.credential.chars,
  credential_qr_version: f.credential.version,
  presentation_self_contained_chars: f.presentationSelf.chars,
  presentation_self_contained_qr_version: f.presentationSelf.version,
  credential_self_contained_chars: f.credentialSelf.chars,
  credential_self_contained_qr_version: f.credentialSelf.version,
  vp_jwt_chars: f.vp.chars,
  targets: { presentation_chars: TARGET_PRESENTATION, credential_chars: TARGET_CREDENTIAL },
  encode_ms: Number(encodeMs.toFixed(3)),
  decode_ms: Number(decodeMs.toFixed(3)),
  setups: rows.map((r) => ({
    setup: r.setup,
    jwt_chars: r.jwt.length,
    vp_jwt_chars: r.presentationJwt.length,
    pixelpass_chars: r.pixelpass.length,
    credential_chars: r.credential.length,
    presentation_chars: r.presentation.length,
    credential_self_contained_chars: r.credentialSelfContained.length,
    presentation_self_contained_chars: r.presentationSelfContained.length,
  })),
};
console.log(`\nworst of both issuer profiles: credential ${result.credential_chars} (target ${TARGET_CREDENTIAL}), presentation ${result.presentation_chars} (target ${TARGET_PRESENTATION})`);
console.log(`encode ${result.encode_ms} ms, decode ${result.decode_ms} ms per presentation`);

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/qr.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
console.log(`wrote ${out}`);
