// Callbacks the @openid4vc libraries need (they leave hashing, randomness and JWS to the caller).
// Web Crypto (or node:crypto through @haki/credentials' backend on a server) only, so both the
// issuer and the wallet can use this module.
import { publicJwkFromDid } from "@haki/credentials/did";
import { verifyJwsSignature } from "@haki/credentials/keys";
import type { CallbackContext, Jwk, JwtSigner, VerifyJwtCallback } from "@openid4vc/oauth2";
import { HashAlgorithm, clientAuthenticationAnonymous } from "@openid4vc/oauth2";
import { base64url, randomBytes, sha256 } from "./crypto";

/** The JWS algorithms Haki accepts for holder key proofs. Never "none". */
export const PROOF_ALGS = ["EdDSA"] as const;

export const hashCallback: CallbackContext["hash"] = async (data, alg) => {
  if (alg !== HashAlgorithm.Sha256) throw new Error(`Hash algorithm ${alg} is not supported.`);
  return sha256(data);
};

export const generateRandomCallback: CallbackContext["generateRandom"] = (length) => randomBytes(length);

/** The public JWK a JWT signer stands for: from its DID (did:key, did:jwk) or its `jwk` header. */
export function publicJwkOfSigner(signer: JwtSigner): Jwk {
  if (signer.method === "jwk") return signer.publicJwk;
  if (signer.method === "did") return publicJwkFromDid(signer.didUrl.split("#")[0] ?? "");
  throw new Error(`Key binding method ${signer.method} is not supported.`);
}

export const verifyJwtCallback: VerifyJwtCallback = async (signer, jwt) => {
  try {
    if (!(PROOF_ALGS as readonly string[]).includes(signer.alg)) return { verified: false };
    const publicJwk = publicJwkOfSigner(signer);
    if (publicJwk.kty !== "OKP" || publicJwk.crv !== "Ed25519" || "d" in publicJwk || typeof publicJwk.x !== "string") return { verified: false };
    // @haki/credentials' backend: node:crypto on the issuer (Web Crypto's verify is a thread-pool
    // job per call there), EdDSA only.
    if (!(await verifyJwsSignature(jwt.compact, { kty: "OKP", crv: "Ed25519", x: publicJwk.x }))) return { verified: false };
    return { verified: true, signerJwk: publicJwk };
  } catch {
    return { verified: false };
  }
};

const notUsed = (what: string) => () => {
  throw new Error(`${what} is not used by Haki's pre-authorised flow.`);
};

/** Callbacks for the issuer side. */
export const serverCallbacks = {
  hash: hashCallback,
  generateRandom: generateRandomCallback,
  verifyJwt: verifyJwtCallback,
  signJwt: notUsed("signJwt"),
  clientAuthentication: clientAuthenticationAnonymous(),
} satisfies Omit<CallbackContext, "decryptJwe" | "encryptJwe">;

export function encodeJsonSegment(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}
