import * as z from "zod";

/** An Ed25519 public key as a JWK (RFC 8037). */
export const Ed25519PublicJwk = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "32-byte base64url key"),
});
export type Ed25519PublicJwk = z.infer<typeof Ed25519PublicJwk>;

/** An Ed25519 private key as a JWK (RFC 8037). */
export const Ed25519PrivateJwk = Ed25519PublicJwk.extend({
  d: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "32-byte base64url key"),
});
export type Ed25519PrivateJwk = z.infer<typeof Ed25519PrivateJwk>;

/**
 * The public part of a JWK in the canonical member order used for did:jwk (crv, kty, x).
 *
 * @example
 * JSON.stringify(canonicalPublicJwk(jwk)); // '{"crv":"Ed25519","kty":"OKP","x":"..."}'
 */
export function canonicalPublicJwk(jwk: Ed25519PublicJwk): Ed25519PublicJwk {
  return { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
}
