/**
 * The crypto backend seam. Two implementations with one shape: node:crypto KeyObjects in Node
 * (synchronous, about twice the Web Crypto rate there) and Web Crypto in browsers. package.json
 * "imports" maps `#crypto` to one or the other by the "node" export condition, so the wallet and
 * verifier bundles never see `node:` imports.
 */
import type { Ed25519PublicJwk } from "./jwk";

/** An imported public key, opaque outside the backend (KeyObject in Node, CryptoKey in browsers). */
export type PublicKeyHandle = { readonly __publicKeyHandle: unique symbol };

export interface CryptoBackend {
  readonly name: "node" | "webcrypto";
  /** Imports an Ed25519 public JWK for verification. Throws on a bad key. */
  importPublicKey(jwk: Ed25519PublicJwk): PublicKeyHandle | Promise<PublicKeyHandle>;
  /** Signs the ASCII JWS signing input; returns the base64url signature. */
  signJws(signingInput: string, privateKey: CryptoKey): string | Promise<string>;
  /** Verifies a base64url Ed25519 signature over the ASCII JWS signing input. Never throws. */
  verifyJws(signingInput: string, signature: string, publicKey: PublicKeyHandle): boolean | Promise<boolean>;
  /** UTF-8 text to base64url without padding. */
  encodeText(text: string): string;
  /** base64url (no padding, strict alphabet) to UTF-8 text; undefined when not valid base64url. */
  decodeText(b64url: string): string | undefined;
  /** Cryptographically random bytes. */
  randomBytes(n: number): Uint8Array;
}
