/**
 * Test helpers: independent verification of decoded JWTs (jose, did-jwt) and Haki's own
 * (@haki/credentials verify/presentation). Not exported by the package.
 */
import { buildDidWebDocument } from "@haki/credentials/did";
import { verifyPresentation } from "@haki/credentials/presentation";
import type { TrustList } from "@haki/credentials/trust";
import { verifyCredential } from "@haki/credentials/verify";
import { verifyJWT } from "did-jwt";
import { Resolver, type DIDResolutionResult } from "did-resolver";
import { compactVerify, decodeJwt, exportJWK } from "jose";
import { getResolver as keyResolver } from "key-did-resolver";
import type { DemoKey } from "./demo";

/** Verifies a compact JWS with jose against a known key; true when the signature holds. */
export async function verifiesWithJose(jwt: string, key: DemoKey): Promise<boolean> {
  try {
    await compactVerify(jwt, key.publicKey, { algorithms: ["EdDSA"] });
    return true;
  } catch {
    return false;
  }
}

/** A did-jwt resolver for did:key (key-did-resolver) and the given did:web issuers. */
export async function didJwtResolver(webIssuers: DemoKey[]): Promise<Resolver> {
  const docs = new Map<string, DIDResolutionResult>();
  for (const k of webIssuers) {
    const jwk = await exportJWK(k.publicKey);
    const doc = buildDidWebDocument({
      did: k.did,
      keys: [{ id: k.kid.split("#")[1]!, publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x! } }],
    });
    docs.set(k.did, { didDocument: doc, didDocumentMetadata: {}, didResolutionMetadata: { contentType: "application/did+ld+json" } });
  }
  return new Resolver({
    ...keyResolver(),
    web: async (did: string) => docs.get(did) ?? { didDocument: null, didDocumentMetadata: {}, didResolutionMetadata: { error: "notFound" } },
  });
}

/** Verifies with did-jwt (signature, and nbf/exp against `now`; aud as the token names it). */
export async function verifiesWithDidJwt(jwt: string, resolver: Resolver, now: Date): Promise<boolean> {
  try {
    const aud = (decodeJwt(jwt) as { aud?: unknown }).aud;
    const audience = typeof aud === "string" ? aud : undefined;
    const r = await verifyJWT(jwt, { resolver, audience, policies: { now: Math.floor(now.getTime() / 1000) } });
    return r.verified;
  } catch {
    return false;
  }
}

/** A trust list naming the given issuers. */
export async function trustListFor(issuers: DemoKey[]): Promise<TrustList> {
  const entries = [];
  for (const k of issuers) {
    const jwk = await exportJWK(k.publicKey);
    entries.push({
      did: k.did,
      name: `Issuer ${k.did.slice(0, 20)}`,
      keys: [{ id: k.kid.split("#")[1]!, publicKeyJwk: { kty: "OKP" as const, crv: "Ed25519" as const, x: jwk.x! } }],
    });
  }
  return { issuers: entries, updatedAt: "2027-03-01T00:00:00Z" };
}

/** Haki's own verification of a decoded proof (credential or presentation). */
export async function verifiesWithHaki(
  kind: "credential" | "presentation",
  jwt: string,
  trust: TrustList,
  now: Date,
): Promise<boolean> {
  if (kind === "credential") return (await verifyCredential(jwt, trust, { now })).valid;
  return (await verifyPresentation(jwt, trust, { now, maxAgeSeconds: 10 ** 9 })).valid;
}
