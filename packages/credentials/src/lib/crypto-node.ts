/**
 * Node backend: node:crypto KeyObjects, synchronous one-shot Ed25519. Web Crypto in Node 20 pays a
 * job round trip per call (measured here: 15k signs/s against 33k for crypto.sign).
 */
import { KeyObject, createPublicKey, randomBytes as nodeRandomBytes, sign, verify } from "node:crypto";
import type { CryptoBackend, PublicKeyHandle } from "./backend";
import type { Ed25519PublicJwk } from "./jwk";

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const privateCache = new WeakMap<CryptoKey, KeyObject>();

function privateKeyObject(key: CryptoKey): KeyObject {
  let k = privateCache.get(key);
  if (!k) {
    k = KeyObject.from(key);
    privateCache.set(key, k);
  }
  return k;
}

export const backend: CryptoBackend = {
  name: "node",
  importPublicKey(jwk: Ed25519PublicJwk): PublicKeyHandle {
    return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: "jwk" }) as unknown as PublicKeyHandle;
  },
  signJws(signingInput: string, privateKey: CryptoKey): string {
    return sign(null, Buffer.from(signingInput, "latin1"), privateKeyObject(privateKey)).toString("base64url");
  },
  verifyJws(signingInput: string, signature: string, publicKey: PublicKeyHandle): boolean {
    if (signature.length !== 86 || !BASE64URL.test(signature)) return false;
    const sig = Buffer.from(signature, "base64url");
    if (sig.length !== 64) return false;
    try {
      return verify(null, Buffer.from(signingInput, "latin1"), publicKey as unknown as KeyObject, sig);
    } catch {
      return false;
    }
  },
  encodeText(text: string): string {
    return Buffer.from(text, "utf8").toString("base64url");
  },
  decodeText(b64url: string): string | undefined {
    if (!BASE64URL.test(b64url) || b64url.length % 4 === 1) return undefined;
    const bytes = Buffer.from(b64url, "base64url");
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  },
  randomBytes(n: number): Uint8Array {
    return new Uint8Array(nodeRandomBytes(n));
  },
};
