/**
 * Test and benchmark support, not for production: the demo entitlement that Haki's tests and
 * benchmarks sign, its status list URLs, and a demo issuer (did:web key and trust list). Keys live
 * in memory and every name is made up. Browser-safe (no `node:` import), like the rest of the package.
 *
 * @example
 * import { createDemoIssuer, demoEntitlementInput } from "@haki/credentials/testing";
 * const { key, trust } = await createDemoIssuer();
 * const jwt = await signCredential(demoEntitlementInput({ holder: holder.did }), key);
 */
import { compactVerify, importJWK, type JWK } from "jose";
import { generateKeyPair, withIdentifier, type HakiKeyPair } from "./keys";
import type { EntitlementInput, EntitlementSubject } from "./model";
import { trustListOf, type TrustList } from "./trust";

/** The demo issuer's DID (did:web, key id `key-1`). */
export const DEMO_ISSUER_DID = "did:web:haki.example.org";
/** The demo issuer's base URL; its status lists live under it. */
export const DEMO_ISSUER_URL = "https://haki.example.org";

/** The subject of the demo entitlement: a cash benefit, single redemption, with name and area. */
export const DEMO_SUBJECT: EntitlementSubject = {
  beneficiary: "BEN-7Q2X9K",
  name: "Amina Wanjiru",
  programme: { id: "cash-for-work", name: "Cash for Work" },
  cycle: "2027-03",
  benefit: { type: "Cash", amount: 2500, currency: "KES" },
  redemption: "single",
  area: "KE-047",
};

export interface DemoStatusUrls {
  revocation: string;
  suspension: string;
}

/**
 * The revocation and suspension list URLs of an issuer, as Haki's issuer serves them.
 * @example
 * demoStatusUrls("https://issuer.test"); // { revocation: "https://issuer.test/status/revocation/1", suspension: ".../suspension/1" }
 */
export function demoStatusUrls(baseUrl: string = DEMO_ISSUER_URL, list: number | string = 1): DemoStatusUrls {
  const base = baseUrl.replace(/\/$/, "");
  return { revocation: `${base}/status/revocation/${list}`, suspension: `${base}/status/suspension/${list}` };
}

/** Fields to change in the demo entitlement: `subject` replaces the whole subject, `status` is merged. */
export interface DemoEntitlementOverrides extends Partial<Omit<EntitlementInput, "status">> {
  status?: Partial<EntitlementInput["status"]>;
}

/**
 * The demo entitlement input (issuer {@link DEMO_ISSUER_DID}, no holder, valid from 1 March to 1 April 2027,
 * status index 42 in the demo lists), with `overrides` applied.
 * @example
 * const input = demoEntitlementInput({ holder: holder.did, subject: { ...DEMO_SUBJECT, redemption: "partial" }, status: { index: 7 } });
 */
export function demoEntitlementInput(overrides: DemoEntitlementOverrides = {}): EntitlementInput {
  const { status, ...rest } = overrides;
  const urls = demoStatusUrls();
  return {
    issuer: DEMO_ISSUER_DID,
    subject: structuredClone(DEMO_SUBJECT),
    validFrom: new Date("2027-03-01T00:00:00Z"),
    validUntil: new Date("2027-04-01T00:00:00Z"),
    ...rest,
    status: { revocationList: urls.revocation, suspensionList: urls.suspension, index: 42, ...status },
  };
}

export interface DemoIssuer {
  /** The issuer's signing key, named `<did>#<keyId>`. */
  key: HakiKeyPair;
  /** A trust list holding this issuer alone. */
  trust: TrustList;
}

/**
 * A fresh Ed25519 issuer key named by a did:web, and the trust list that trusts it.
 * @example
 * const { key, trust } = await createDemoIssuer({ did: "did:web:issuer.test", name: "Ministry" });
 */
export async function createDemoIssuer(
  options: { did?: string; keyId?: string; name?: string } = {},
): Promise<DemoIssuer> {
  const { did = DEMO_ISSUER_DID, keyId = "key-1", name = "Ministry of Labour" } = options;
  const key = withIdentifier(await generateKeyPair(), did, keyId);
  const trust = trustListOf({ did, name, keys: [{ id: keyId, publicKeyJwk: key.publicJwk }] });
  return { key, trust };
}

/**
 * The signature check an independent library (`@sd-jwt/sd-jwt-vc`'s `verifier`, `kbVerifier`,
 * `statusVerifier`) is given: true when `sig` signs `data`, the JWS signing input, under `jwk` with
 * `alg`, as jose sees it.
 *
 * @example
 * new SDJwtVcInstance({ verifier: (data, sig) => jwsSignatureVerifies(data, sig, issuerJwk, "EdDSA"), ... });
 */
export async function jwsSignatureVerifies(data: string, sig: string, jwk: JWK, alg: "EdDSA" | "ES256"): Promise<boolean> {
  try {
    const [h, p] = data.split(".");
    await compactVerify(`${h}.${p}.${sig}`, await importJWK(jwk, alg));
    return true;
  } catch {
    return false;
  }
}
