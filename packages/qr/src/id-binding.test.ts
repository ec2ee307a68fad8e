/**
 * A paper card bound to its holder's national ID (issue 16): the credential carries
 * `credentialSubject.idBinding`, and its QR code gives back the very JWT that was signed, so the
 * binding reaches the service point under the issuer's signature.
 */
import type { EntitlementSubject } from "@haki/credentials/model";
import { cardSaltOf, statusEntryOf } from "@haki/id-binding/salt";
import { base64urlnopad } from "@scure/base";
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
      const unbound = encodeProofWithFormat(await signEntitlement({ ...setup.input, holder: undefined, subject: DEMO_SUBJECT }, setup.issuer), { issuers: [setup.issuer.did] });
      // Compact, not the JWT text: the binding adds its 32 random bytes and a few more, no more.
      expect(encoded.format, `${setup.label}: ${encoded.fallbackReason}`).toBe("compact");
      expect(encoded.payload.length - unbound.payload.length, setup.label).toBeLessThanOrEqual(60);
      const back = decodeProof(encoded.payload, { issuers: [setup.issuer.did] });
      expect(back.jwt).toBe(jwt);
      expect(await verifiesWithHaki("credential", back.jwt, await trustListFor([setup.issuer]), new Date("2027-03-10T00:00:00Z"))).toBe(true);
      const seen = identifyQr(encoded.payload, { issuers: [setup.issuer.did] });
      expect(seen.kind).toBe("haki");
      const payload = JSON.parse(Buffer.from(back.jwt.split(".")[1]!, "base64url").toString()) as { vc: { credentialSubject: EntitlementSubject } };
      expect(payload.vc.credentialSubject.idBinding).toEqual(BOUND.idBinding);
    }
  });

  it("leaves out a salt derived from the card's id and status entry (cards issued since 2026-12-07): 20 characters shorter, same JWT", async () => {
    const holder = await makeKey();
    for (const setup of await demoSetups(holder)) {
      const id = "urn:uuid:6f1c2b9e-3a47-4c1d-9b2e-0d5f8a7c4e31";
      const statusEntry = statusEntryOf(setup.input.status.revocationList, setup.input.status.index);
      const derived = { ...BOUND.idBinding!, salt: base64urlnopad.encode(cardSaltOf({ id, statusEntry })!) };
      const sign = (idBinding: typeof derived) => signEntitlement({ ...setup.input, id, holder: undefined, subject: { ...setup.input.subject, idBinding } }, setup.issuer);
      const [jwt, older] = [await sign(derived), await sign(BOUND.idBinding!)];
      const [encoded, explicit] = [encodeProofWithFormat(jwt, { issuers: [setup.issuer.did] }), encodeProofWithFormat(older, { issuers: [setup.issuer.did] })];
      expect(encoded.format).toBe("compact");
      expect(explicit.payload.length - encoded.payload.length, setup.label).toBeGreaterThanOrEqual(20);
      expect(decodeProof(encoded.payload, { issuers: [setup.issuer.did] }).jwt).toBe(jwt);
      // An older card (random salt) with the same id keeps its salt in the QR and keeps verifying.
      const back = decodeProof(explicit.payload, { issuers: [setup.issuer.did] }).jwt;
      expect(back).toBe(older);
      expect(await verifiesWithHaki("credential", back, await trustListFor([setup.issuer]), new Date("2027-03-10T00:00:00Z"))).toBe(true);
    }
  });

  it("keeps a key id that is not `<programme>-<n>`, a cost other than the default and a bare ID binding; refuses a damaged binding field", async () => {
    const holder = await makeKey();
    const [setup] = await demoSetups(holder);
    const programme = setup!.input.subject.programme.id;
    for (const idBinding of [
      { ...BOUND.idBinding!, kid: `${programme}-7` },
      { ...BOUND.idBinding!, kid: "rotated.key_2", fields: "id" as const, logN: 16, r: 8, p: 2 },
    ]) {
      const jwt = await signEntitlement({ ...setup!.input, holder: undefined, subject: { ...setup!.input.subject, idBinding } }, setup!.issuer);
      const encoded = encodeProofWithFormat(jwt, { issuers: [setup!.issuer.did] });
      expect(encoded.format).toBe("compact");
      expect(decodeProof(encoded.payload, { issuers: [setup!.issuer.did] }).jwt).toBe(jwt);
    }
    // A salt whose last character has stray bits does not come back the same: the JWT text is carried.
    const odd = { ...BOUND.idBinding!, salt: "q3Jd0VhM9n0y3TfGk1c5Oz" };
    const jwt = await signEntitlement({ ...setup!.input, holder: undefined, subject: { ...setup!.input.subject, idBinding: odd } }, setup!.issuer);
    const encoded = encodeProofWithFormat(jwt, { issuers: [setup!.issuer.did] });
    expect(decodeProof(encoded.payload, { issuers: [setup!.issuer.did] }).jwt).toBe(jwt);
  });
});
