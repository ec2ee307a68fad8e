/**
 * digitalbazaar's Bitstring Status List library (an independent implementation) reads the status
 * entries of the credentials Haki issues, in both formats: VC 1.1 (now with the status context it
 * looks for; the cards issued before without it, which it ignores) and VC 2.0 (`vc+jwt`), and
 * finds the same bits in the lists Haki signs (decoded after Haki's own signature check).
 */
import { checkStatus, getCredentialStatus, statusTypeMatches } from "@digitalbazaar/vc-bitstring-status-list";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { LEGACY_VC1_CONTEXTS } from "@haki/credentials/canonical";
import { signCredential } from "@haki/credentials/sign";
import { createDemoIssuer, demoEntitlementInput } from "@haki/credentials/testing";
import { createStatusList, setStatus } from "./bitstring";
import { buildStatusListCredential, signStatusListCredential, verifyStatusListCredential } from "./credential";

const { key: issuer } = await createDemoIssuer();
const input = demoEntitlementInput({ holder: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", status: { index: 94567 } });
const NOW = new Date("2027-03-15T12:00:00Z");

/** A credential as the W3C data model object digitalbazaar takes: VC 1.1 from the JWT claims, VC 2.0 as signed. */
function w3c(jwt: string): Record<string, unknown> {
  const p = decodeJwt(jwt) as Record<string, unknown> & { vc?: Record<string, unknown> };
  if (!p.vc) return p;
  return { ...p.vc, issuer: p.iss, issuanceDate: new Date((p.nbf as number) * 1000).toISOString(), credentialSubject: { id: p.sub, ...(p.vc.credentialSubject as object) } };
}

/** The W3C form of Haki's signed list for a purpose, after Haki verified its signature. */
async function publishedList(purpose: "revocation" | "suspension", revoked: number[]) {
  const url = purpose === "revocation" ? input.status.revocationList : input.status.suspensionList;
  const list = revoked.reduce((l, i) => setStatus(l, i), createStatusList());
  const jwt = await signStatusListCredential(buildStatusListCredential({ url, issuer: issuer.did, purpose, list, issuedAt: NOW }), issuer);
  const verified = await verifyStatusListCredential(jwt, issuer.publicJwk, { now: NOW, url, purpose });
  return { url, document: { ...verified.payload.vc, id: url, issuer: verified.issuer } };
}

describe("@digitalbazaar/vc-bitstring-status-list on Haki's status entries", () => {
  it("reads both entries of a VC 1.1 credential (status context) and a VC 2.0 credential, and finds the bits Haki set", async () => {
    const lists = [await publishedList("revocation", [94567]), await publishedList("suspension", [])];
    const documentLoader = async (url: string) => ({ document: lists.find((l) => l.url === url)!.document });
    for (const format of ["vc1", "vc2"] as const) {
      const credential = w3c(await signCredential(input, issuer, { format }));
      expect(statusTypeMatches({ credential })).toBe(true);
      expect(getCredentialStatus({ credential, statusPurpose: "suspension" })).toMatchObject({ statusListIndex: "94567", statusListCredential: input.status.suspensionList });
      const r = await checkStatus({ credential, documentLoader, verifyBitstringStatusListCredential: false });
      expect(r.error).toBeUndefined();
      expect(r.verified).toBe(true);
      expect(Object.fromEntries(r.results!.map((x) => [x.credentialStatus.statusPurpose, x.status]))).toEqual({ revocation: true, suspension: false });
    }
  });

  it("ignores the entries of a card issued before the status context (why new VC 1.1 cards name it)", async () => {
    const credential = { ...w3c(await signCredential(input, issuer)), "@context": [...LEGACY_VC1_CONTEXTS] };
    expect(statusTypeMatches({ credential })).toBe(false);
    expect(() => getCredentialStatus({ credential, statusPurpose: "revocation" })).toThrow(/status\/v1/);
  });
});
