/**
 * The holder's key proof a wallet puts in its OpenID4VCI credential request, for the issuer's
 * benchmarks and its tests against the build: a JWT over the issuer's `c_nonce`, for the
 * credential issuer `audience`, signed with the holder's key and naming it by `kid`.
 */
import { SignJWT } from "jose";
import type { HakiKeyPair } from "@haki/credentials/keys";

/**
 * @example
 * const proof = await holderProof(holder, token.c_nonce, "https://issuer.example");
 * body = JSON.stringify({ credential_configuration_id: id, proofs: { jwt: [proof] } });
 */
export function holderProof(holder: HakiKeyPair, nonce: string, audience: string): Promise<string> {
  return new SignJWT({ nonce })
    .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: holder.kid })
    .setAudience(audience)
    .setIssuedAt()
    .sign(holder.privateKey);
}
