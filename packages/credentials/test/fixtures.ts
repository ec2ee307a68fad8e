/** Shared test fixtures: a frozen clock, keys and a sample entitlement (from `../src/testing`). */
import { generateKeyPair, type HakiKeyPair } from "../src/keys";
import type { EntitlementInput } from "../src/model";
import { createDemoIssuer, DEMO_ISSUER_DID, demoEntitlementInput, demoStatusUrls } from "../src/testing";
import type { TrustList } from "../src/trust";

/** The frozen "now" of every test: 15 March 2027, midday UTC. */
export const NOW = new Date("2027-03-15T12:00:00Z");
export const ISSUER_DID = DEMO_ISSUER_DID;
export const REVOCATION_LIST = demoStatusUrls().revocation;
export const SUSPENSION_LIST = demoStatusUrls().suspension;

export function sampleInput(issuer: string, holder?: string): EntitlementInput {
  return demoEntitlementInput({ issuer, holder });
}

export interface Fixture {
  issuer: HakiKeyPair;
  holder: HakiKeyPair;
  trust: TrustList;
}

export async function makeFixture(): Promise<Fixture> {
  const { key: issuer, trust } = await createDemoIssuer();
  return { issuer, holder: await generateKeyPair(), trust };
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
