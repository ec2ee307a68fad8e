/** The demo entitlement as a W3C credential object for Veramo's `createVerifiableCredential` (benches only). */
import type { EntitlementSubject } from "../src/model";
import { DEMO_SUBJECT } from "../src/testing";

/**
 * The same claims Haki signs, in the form a Veramo agent takes (dates as in `demoEntitlementInput`).
 * @example
 * await agent.createVerifiableCredential({ credential: veramoDemoCredential(id.did, holder.did), proofFormat: "jwt" });
 */
export function veramoDemoCredential(issuerDid: string, holderDid: string, subject: EntitlementSubject = DEMO_SUBJECT) {
  return {
    "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/haki/entitlement/v1"],
    type: ["VerifiableCredential", "EntitlementCredential"],
    issuer: { id: issuerDid },
    issuanceDate: "2027-03-01T00:00:00Z",
    expirationDate: "2027-04-01T00:00:00Z",
    credentialSubject: { id: holderDid, ...subject },
  };
}
