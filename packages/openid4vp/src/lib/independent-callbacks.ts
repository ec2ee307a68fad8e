/**
 * Test support: the other side's own @openid4vc callbacks, written with plain jose and nothing from
 * this package, so an interop test's library verifier or wallet shares no code with Haki's.
 */
import { publicJwkFromDid } from "@haki/credentials/did";
import type { CallbackContext, Jwk } from "@openid4vc/oauth2";
import { CompactEncrypt, compactDecrypt, compactVerify, importJWK, type JWK } from "jose";

/** The other side's own callbacks: plain jose, nothing from this package. */
export function independentCallbacks(decryptionKey?: JWK): Omit<CallbackContext, "generateRandom" | "clientAuthentication"> {
  return {
    hash: async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>)),
    signJwt: async () => {
      throw new Error("unused");
    },
    verifyJwt: async (signer, jwt) => {
      if (signer.method !== "did") return { verified: false };
      const jwk = publicJwkFromDid(signer.didUrl.split("#")[0]!);
      try {
        await compactVerify(jwt.compact, await importJWK(jwk, "EdDSA"));
        return { verified: true, signerJwk: jwk as Jwk };
      } catch {
        return { verified: false };
      }
    },
    encryptJwe: async (encryptor, data) => {
      const { kid, alg, use: _u, ...pub } = encryptor.publicJwk as Jwk & { use?: string };
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader({ alg: alg ?? "ECDH-ES", enc: encryptor.enc, ...(kid ? { kid } : {}) })
        .encrypt(await importJWK(pub as JWK, "ECDH-ES"));
      return { jwe, encryptionJwk: encryptor.publicJwk };
    },
    decryptJwe: async (jwe) => {
      if (!decryptionKey) return { decrypted: false };
      const { plaintext } = await compactDecrypt(jwe, await importJWK(decryptionKey, "ECDH-ES"));
      const { d: _d, ...pub } = decryptionKey;
      return { decrypted: true, decryptionJwk: pub as Jwk, payload: new TextDecoder().decode(plaintext) };
    },
  };
}
