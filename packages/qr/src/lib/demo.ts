/**
 * Demo credentials for tests and the benchmark: the standard entitlement of the demo (cash benefit,
 * two status entries, holder key, display name), signed with jose over Haki's canonical bytes.
 * Not exported by the package.
 */
import { buildEntitlementPayload, serializeEntitlementPayload } from "@haki/credentials/canonical";
import type { EntitlementInput, EntitlementSubject } from "@haki/credentials/model";
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey as JoseKey } from "jose";
import { b64uDecodeStrict, didKeyFromEd25519 } from "./bytes";
import { signPresentation } from "@haki/credentials/presentation";
import { signCredential } from "@haki/credentials/sign";
import { DEMO_ISSUER_DID, DEMO_ISSUER_URL, DEMO_SUBJECT as CREDENTIALS_DEMO_SUBJECT, demoStatusUrls } from "@haki/credentials/testing";

export interface DemoKey {
  did: string;
  kid: string;
  privateKey: JoseKey;
  publicKey: JoseKey;
  raw: Uint8Array;
}

/** An Ed25519 key named by did:key, or by `did` with fragment `keyId` (did:web issuers). */
export async function makeKey(did?: string, keyId = "key-1"): Promise<DemoKey> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(publicKey);
  const raw = b64uDecodeStrict(jwk.x ?? "");
  if (!raw) throw new Error("no x");
  const keyDid = didKeyFromEd25519(raw);
  const name = did ?? keyDid;
  return { did: name, kid: did ? `${did}#${keyId}` : `${keyDid}#${keyDid.slice(8)}`, privateKey, publicKey, raw };
}

export async function signJws(header: Record<string, unknown>, payload: string, key: DemoKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** Signs an entitlement with jose over Haki's canonical bytes (an independent signer). */
export async function signEntitlementWithJose(input: EntitlementInput, issuer: DemoKey): Promise<string> {
  return signJws({}, serializeEntitlementPayload(buildEntitlementPayload(input)), issuer);
}

/** Signs an entitlement with Haki's own signer. */
export async function signEntitlement(input: EntitlementInput, issuer: DemoKey): Promise<string> {
  return signCredential(input, issuer);
}

/** A holder's presentation of `vcJwt`, signed by Haki's own code (one-time id, creation time). */
export async function signDemoPresentation(
  vcJwt: string,
  holder: DemoKey,
  options: { now?: Date; nonce?: string; id?: string; audience?: string } = {},
): Promise<string> {
  return signPresentation(vcJwt, holder, { now: new Date("2027-03-04T09:27:14Z"), ...options });
}

/**
 * The demo subject of @haki/credentials/testing with the longer reference and programme the QR size
 * figures of BENCHMARKS.md were measured with (kept so those figures stay comparable).
 */
export const DEMO_SUBJECT: EntitlementSubject = {
  ...CREDENTIALS_DEMO_SUBJECT,
  beneficiary: "HH-0042-7781",
  programme: { id: "opct", name: "Older Persons Cash Transfer" },
  benefit: { type: "Cash", amount: 4000, currency: "KES" },
};

export interface DemoSetup {
  label: string;
  issuer: DemoKey;
  input: EntitlementInput;
}

/** The demo issuer profiles: production (did:web, https lists) and local (did:key, localhost lists). */
export async function demoSetups(holder: DemoKey, subject: EntitlementSubject = DEMO_SUBJECT): Promise<DemoSetup[]> {
  const web = await makeKey(DEMO_ISSUER_DID);
  const local = await makeKey();
  const base = {
    holder: holder.did,
    subject,
    validFrom: new Date("2027-03-01T00:00:00Z"),
    validUntil: new Date("2027-03-31T23:59:59Z"),
  };
  const inputFor = (issuer: DemoKey, issuerUrl: string): EntitlementInput => {
    const urls = demoStatusUrls(`${issuerUrl}/api`);
    return { ...base, issuer: issuer.did, status: { revocationList: urls.revocation, suspensionList: urls.suspension, index: 48213 } };
  };
  return [
    { label: "did:web issuer, https status lists", issuer: web, input: inputFor(web, DEMO_ISSUER_URL) },
    { label: "did:key issuer, http://localhost status lists", issuer: local, input: inputFor(local, "http://localhost:3000") },
  ];
}
