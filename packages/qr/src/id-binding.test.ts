/**
 * A paper card bound to its holder's national ID (issue 16): the credential carries
 * `credentialSubject.idBinding`, and its QR code gives back the very JWT that was signed, so the
 * binding reaches the service point under the issuer's signature.
 */
import type { EntitlementSubject } from "@haki/credentials/model";
import { describe, expect, it } from "vitest";
import { decodeProof, encodeProofWithFormat } from "./codec";
import { identifyQr } from "./identify";
import { DEMO_SUBJECT, demoSetups, makeKey, signEntitlement } from "./lib/demo";
import { trustListFor, verifiesWithHaki } from "./lib/testing";

const BOUND: EntitlementSubject = {
  ...DEMO_SUBJECT,
  idBinding: { v: 1, kid: "opct-1", fields: "id+birthDate", logN: 15, r: 8, p: 1, salt: "q3Jd0VhM9n0y3TfGk1c5Ow", mac: "Z1xv8gU2qJfYl0b3mRk4Tw" },
};

describe("a bound paper card's QR code", () => {
  it("carries the binding: decodes to the signed JWT, which verifies and holds the same binding", async () => {
    const holder = await makeKey();
    for (const setup of await demoSetups(holder, BOUND)) {
      const jwt = await signEntitlement({ ...setup.input, holder: undefined }, setup.issuer);
      const encoded = encodeProofWithFormat(jwt, { issuers: [setup.issuer.did] });
      expect(encoded.payload.length, setup.label).toBeLessThan(1000);
      const back = decodeProof(encoded.payload, { issuers: [setup.issuer.did] });
      expect(back.jwt).toBe(jwt);
      expect(await verifiesWithHaki("credential", back.jwt, await trustListFor([setup.issuer]), new Date("2027-03-10T00:00:00Z"))).toBe(true);
      const seen = identifyQr(encoded.payload, { issuers: [setup.issuer.did] });
      expect(seen.kind).toBe("haki");
      const payload = JSON.parse(Buffer.from(back.jwt.split(".")[1]!, "base64url").toString()) as { vc: { credentialSubject: EntitlementSubject } };
      expect(payload.vc.credentialSubject.idBinding).toEqual(BOUND.idBinding);
    }
  });
});
