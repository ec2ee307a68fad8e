import { encodeProofWithFormat, decodeProof } from "./codec";
import { makeKey, demoSetups, signEntitlement, signDemoPresentation } from "./lib/demo";
const holder = await makeKey();
for (const s of await demoSetups(holder)) {
  const vc = await signEntitlement(s.input, s.issuer);
  const vp = await signDemoPresentation(vc, holder);
  for (const [n, j] of [["vc", vc], ["vp", vp]] as const) {
    const e = encodeProofWithFormat(j);
    const r = encodeProofWithFormat(j, { issuers: ["did:web:other.example", s.issuer.did] });
    console.log(s.label, n, "jwt", j.length, "compact", e.payload.length, e.format, e.fallbackReason ?? "", "ref", r.payload.length, r.format, decodeProof(e.payload).jwt === j, decodeProof(r.payload, { issuers: [s.issuer.did] }).jwt === j);
  }
}
