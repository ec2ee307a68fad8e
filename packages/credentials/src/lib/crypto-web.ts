/** Browser backend: Web Crypto Ed25519 (Chrome 113+, Firefox 129+, Safari 17+) and @scure/base. */
import { base64urlnopad } from "@scure/base";
import type { CryptoBackend, PublicKeyHandle } from "./backend";
import type { Ed25519PublicJwk } from "./jwk";

const ED25519 = { name: "Ed25519" } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function ascii(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export const backend: CryptoBackend = {
  name: "webcrypto",
  async importPublicKey(jwk: Ed25519PublicJwk): Promise<PublicKeyHandle> {
    const key = await crypto.subtle.importKey("jwk", { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, ED25519, true, ["verify"]);
    return key as unknown as PublicKeyHandle;
  },
  async signJws(signingInput: string, privateKey: CryptoKey): Promise<string> {
    const sig = await crypto.subtle.sign(ED25519, privateKey, ascii(signingInput));
    return base64urlnopad.encode(new Uint8Array(sig));
  },
  async verifyJws(signingInput: string, signature: string, publicKey: PublicKeyHandle): Promise<boolean> {
    let sig: Uint8Array;
    try {
      sig = base64urlnopad.decode(signature);
    } catch {
      return false;
    }
    if (sig.length !== 64) return false;
    try {
      return await crypto.subtle.verify(ED25519, publicKey as unknown as CryptoKey, new Uint8Array(sig), ascii(signingInput));
    } catch {
      return false;
    }
  },
  encodeText(text: string): string {
    return base64urlnopad.encode(encoder.encode(text));
  },
  decodeText(b64url: string): string | undefined {
    try {
      return decoder.decode(base64urlnopad.decode(b64url));
    } catch {
      return undefined;
    }
  },
  randomBytes(n: number): Uint8Array {
    return crypto.getRandomValues(new Uint8Array(n));
  },
};
