import { describe, expect, it } from "vitest";
import { issueSdJwtVc } from "@haki/credentials/sd-jwt";
import { createDemoIssuer, DEMO_ISSUER_URL, DEMO_SUBJECT } from "@haki/credentials/testing";
import { cardState, decodeEntitlement } from "./cards";
import { storedEntitlement } from "./testing";

const { payload, jwt } = storedEntitlement();
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const inMarch = new Date("2027-03-15T12:00:00Z");

describe("cards", () => {
  it("decodes a stored entitlement and refuses anything else", () => {
    expect(decodeEntitlement(jwt)?.vc.credentialSubject.programme.name).toBe("Food support");
    expect(decodeEntitlement("a.b.c")).toBeUndefined();
    expect(decodeEntitlement(`${b64({})}.${b64({ iss: "x" })}.c2ln`)).toBeUndefined();
  });

  it("decodes an SD-JWT VC into the same subject the issuer signed, its registered claims left out", async () => {
    const issuer = await createDemoIssuer();
    const sdJwt = await issueSdJwtVc(
      { issuerUrl: DEMO_ISSUER_URL, holder: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", subject: { ...DEMO_SUBJECT, area: "KE-047" }, validFrom: "2027-03-01", validUntil: "2027-04-01", status: { uri: `${DEMO_ISSUER_URL}/status/1/token`, index: 42 } },
      issuer.key,
    );
    const card = decodeEntitlement(sdJwt);
    expect(card?.format).toBe("dc+sd-jwt");
    expect(card?.vc.credentialSubject).toStrictEqual({ ...DEMO_SUBJECT, area: "KE-047" });
  });

  it("tells the state: revoked beats suspended beats dates", () => {
    const checkedAt = inMarch.toISOString();
    expect(cardState(payload, undefined, inMarch)).toBe("active");
    expect(cardState(payload, { revoked: false, suspended: true, checkedAt }, inMarch)).toBe("suspended");
    expect(cardState(payload, { revoked: true, suspended: true, checkedAt }, inMarch)).toBe("revoked");
    expect(cardState(payload, undefined, new Date("2027-04-01T00:00:00Z"))).toBe("expired");
    expect(cardState(payload, undefined, new Date("2027-02-28T23:59:59Z"))).toBe("not-yet-valid");
    const office = (left: number) => ({
      checkedAt,
      card: { id: "x", status: "active" as const, programme: { id: "p", name: "P" }, benefit: payload.vc.credentialSubject.benefit, total: 25, left, handOvers: [] },
    });
    expect(cardState(payload, undefined, inMarch, office(0))).toBe("used-up");
    expect(cardState(payload, undefined, inMarch, office(5))).toBe("active");
    expect(cardState(payload, { revoked: true, suspended: false, checkedAt }, inMarch, office(0))).toBe("revoked");
  });
});
