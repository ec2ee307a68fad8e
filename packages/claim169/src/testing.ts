/**
 * A throw-away national ID authority for tests and demos: a fresh Web Crypto key pair, its trust
 * list entry, and a signer for `encodeClaim169`. Never for production keys.
 */
import type { Claim169Signer } from "./encode";
import type { SignatureAlg } from "./lib/cose";
import { IdentityIssuer, type IdentityIssuerInput } from "./trust";

export interface TestIdentityAuthority {
  signer: Claim169Signer;
  issuer: IdentityIssuer;
  publicKey: CryptoKey;
}

/**
 * Makes an ID authority with one key.
 *
 * @example
 * const authority = await makeIdentityAuthority({ alg: "ES256", kid: "nid-2027" });
 * const text = await encodeClaim169({ id: "123", fullName: "Amina" }, { issuer: authority.issuer.id }, authority.signer);
 */
export async function makeIdentityAuthority(
  options: { alg?: SignatureAlg; kid?: string; id?: string; name?: string } = {},
): Promise<TestIdentityAuthority> {
  const alg = options.alg ?? "EdDSA";
  const params = alg === "EdDSA" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256" };
  const pair = (await crypto.subtle.generateKey(params, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const publicKeyJwk = alg === "EdDSA" ? { kty: "OKP", crv: "Ed25519", x: jwk.x } : { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  const input: IdentityIssuerInput = {
    id: options.id ?? "https://id.example.gov",
    name: options.name ?? "National Identification Authority (test)",
    keys: [{ alg, publicKeyJwk: publicKeyJwk as IdentityIssuerInput["keys"][number]["publicKeyJwk"], ...(options.kid ? { kid: options.kid } : {}) }],
  };
  return {
    signer: { alg, privateKey: pair.privateKey, ...(options.kid ? { kid: options.kid } : {}) },
    issuer: IdentityIssuer.parse(input),
    publicKey: pair.publicKey,
  };
}
