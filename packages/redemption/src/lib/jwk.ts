import { calculateJwkThumbprint, importJWK } from "jose";
import type { PublicJwk } from "../setup";

const cache = new Map<string, Promise<CryptoKey>>();

/** Imports an Ed25519 public JWK once; verification is the hot path, import is not free. */
export function importPublicJwk(jwk: PublicJwk): Promise<CryptoKey> {
  let k = cache.get(jwk.x);
  if (!k) {
    k = importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, "EdDSA") as Promise<CryptoKey>;
    cache.set(jwk.x, k);
    if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
  }
  return k;
}

/** RFC 7638 SHA-256 thumbprint of a public JWK. */
export function thumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, "sha256");
}
