/** Shared test fixtures: a frozen clock, keys and a sample entitlement. */
import { generateKeyPair, withIdentifier, type HakiKeyPair } from "../src/keys";
import type { EntitlementInput } from "../src/model";
import { trustListOf, type TrustList } from "../src/trust";

/** The frozen "now" of every test: 15 March 2027, midday UTC. */
export const NOW = new Date("2027-03-15T12:00:00Z");
export const ISSUER_DID = "did:web:haki.example.org";
export const REVOCATION_LIST = "https://haki.example.org/status/revocation/1";
export const SUSPENSION_LIST = "https://haki.example.org/status/suspension/1";

export function sampleInput(issuer: string, holder?: string): EntitlementInput {
  return {
    issuer,
    holder,
    subject: {
      beneficiary: "BEN-7Q2X9K",
      name: "Amina Wanjiru",
      programme: { id: "cash-for-work", name: "Cash for Work" },
      cycle: "2027-03",
      benefit: { type: "Cash", amount: 2500, currency: "KES" },
      redemption: "single",
      area: "KE-047",
    },
    validFrom: new Date("2027-03-01T00:00:00Z"),
    validUntil: new Date("2027-04-01T00:00:00Z"),
    status: { revocationList: REVOCATION_LIST, suspensionList: SUSPENSION_LIST, index: 42 },
  };
}

export interface Fixture {
  issuer: HakiKeyPair;
  holder: HakiKeyPair;
  trust: TrustList;
}

export async function makeFixture(): Promise<Fixture> {
  const issuer = withIdentifier(await generateKeyPair(), ISSUER_DID, "key-1");
  const holder = await generateKeyPair();
  const trust = trustListOf({
    did: ISSUER_DID,
    name: "Ministry of Labour",
    keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }],
  });
  return { issuer, holder, trust };
}

/** A header/payload pair signed as given (jose), to build tokens Haki itself would never make. */
export async function signRaw(
  payload: Record<string, unknown>,
  key: { privateKey: CryptoKey; kid?: string },
  header: Record<string, unknown> = {},
): Promise<string> {
  const { SignJWT } = await import("jose");
  return new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", typ: "JWT", ...(key.kid ? { kid: key.kid } : {}), ...header }).sign(key.privateKey);
}

/** base64url of a UTF-8 string, for hand-made tokens. */
export const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");

/** Signs any header and payload with node:crypto (for headers jose refuses to write). */
export async function signManual(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: CryptoKey): Promise<string> {
  const { KeyObject, sign } = await import("node:crypto");
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign(null, Buffer.from(input), KeyObject.from(privateKey)).toString("base64url")}`;
}
