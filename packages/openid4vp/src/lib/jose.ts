// The callbacks @openid4vc/openid4vp leaves to the caller: hashing, randomness, JWS and JWE. Web Crypto
// and jose only, so the wallet and the verifier PWAs bundle the same code.
import { publicJwkFromDid } from "@haki/credentials/did";
import { HashAlgorithm, type CallbackContext, type Jwk, type JwtSigner } from "@openid4vc/oauth2";
import { base64urlnopad } from "@scure/base";
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, importJWK, type JWK } from "jose";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** JWS algorithms accepted on request objects. Never "none". */
export const REQUEST_SIGNING_ALGS = ["EdDSA", "ES256"] as const;
/** Response encryption: ECDH-ES on P-256 with AES-GCM (OpenID4VP 1.0 section 8.3; HAIP). */
export const RESPONSE_KEY_ALG = "ECDH-ES";
export const RESPONSE_ENC_VALUES = ["A128GCM", "A256GCM"] as const;

export const base64url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);
export const base64urlDecode = (text: string): Uint8Array => base64urlnopad.decode(text);

/** 128 bits or more of randomness, base64url: nonces, state, request and transaction ids. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
}

export const hashCallback: CallbackContext["hash"] = async (data, alg) => {
  if (alg !== HashAlgorithm.Sha256) throw new Error(`Hash algorithm ${alg} is not supported.`);
  return sha256(data);
};

export const generateRandomCallback: CallbackContext["generateRandom"] = (length) => crypto.getRandomValues(new Uint8Array(length));

/** The public key a JWS signer stands for: its DID (did:key, did:jwk) or its `jwk` header. */
function publicJwkOf(signer: JwtSigner): Jwk | undefined {
  if (signer.method === "jwk") return signer.publicJwk;
  if (signer.method === "did") {
    try {
      return publicJwkFromDid(signer.didUrl.split("#")[0] ?? "") as Jwk;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const verifyJwtCallback: CallbackContext["verifyJwt"] = async (signer, jwt) => {
  try {
    if (!(REQUEST_SIGNING_ALGS as readonly string[]).includes(signer.alg)) return { verified: false };
    const publicJwk = publicJwkOf(signer);
    if (!publicJwk || "d" in publicJwk) return { verified: false };
    const key = await importJWK(publicJwk as JWK, signer.alg);
    await compactVerify(jwt.compact, key, { algorithms: [signer.alg] });
    return { verified: true, signerJwk: publicJwk };
  } catch {
    return { verified: false };
  }
};

/** A signing key that never leaves Web Crypto: a verifier device's or a holder's Ed25519 key. */
export interface DidSigningKey {
  /** `<did>#<key id>` */
  kid: string;
  did: string;
  privateKey: CryptoKey;
}

export function signJwtCallback(key: DidSigningKey): CallbackContext["signJwt"] {
  return async (signer, { header, payload }) => {
    if (signer.method !== "did" || signer.didUrl !== key.kid) throw new Error("This key cannot sign for that signer.");
    const jws = await new CompactSign(enc.encode(JSON.stringify(payload)))
      .setProtectedHeader({ ...header, alg: "EdDSA", kid: key.kid })
      .sign(key.privateKey);
    return { jwt: jws, signerJwk: publicJwkFromDid(key.did) as Jwk };
  };
}

export const encryptJweCallback: CallbackContext["encryptJwe"] = async (encryptor, data) => {
  if (encryptor.alg !== RESPONSE_KEY_ALG || !(RESPONSE_ENC_VALUES as readonly string[]).includes(encryptor.enc)) {
    throw new Error(`Response encryption ${encryptor.alg} / ${encryptor.enc} is not supported.`);
  }
  const { kid, alg: _alg, use: _use, key_ops: _ops, ...jwk } = encryptor.publicJwk as Jwk & { key_ops?: string[] };
  const key = await importJWK(jwk as JWK, RESPONSE_KEY_ALG);
  const jwe = new CompactEncrypt(enc.encode(data)).setProtectedHeader({ alg: RESPONSE_KEY_ALG, enc: encryptor.enc, ...(kid ? { kid } : {}) });
  if (encryptor.apu || encryptor.apv) {
    jwe.setKeyManagementParameters({
      ...(encryptor.apu ? { apu: base64urlDecode(encryptor.apu) } : {}),
      ...(encryptor.apv ? { apv: base64urlDecode(encryptor.apv) } : {}),
    });
  }
  return { encryptionJwk: encryptor.publicJwk, jwe: await jwe.encrypt(key) };
};

/** Decrypts responses with one private key (the verifier device's ephemeral key for one request). */
export function decryptJweCallback(privateJwk: JWK): CallbackContext["decryptJwe"] {
  return async (jwe) => {
    try {
      const key = await importJWK(privateJwk, RESPONSE_KEY_ALG);
      const { plaintext } = await compactDecrypt(jwe, key, {
        keyManagementAlgorithms: [RESPONSE_KEY_ALG],
        contentEncryptionAlgorithms: [...RESPONSE_ENC_VALUES],
      });
      const { d: _d, ...publicJwk } = privateJwk;
      return { decrypted: true, decryptionJwk: publicJwk as Jwk, payload: dec.decode(plaintext) };
    } catch {
      return { decrypted: false };
    }
  };
}

export const notUsed = (what: string) => () => {
  throw new Error(`${what} is not used here.`);
};

/**
 * The callbacks every use of the OpenID4VP library here shares (SHA-256, request signatures
 * checked with jose, answers encrypted to the verifier's key), with no decryption and no signing
 * unless `own` gives them.
 *
 * @example
 * new Openid4vpClient({ callbacks: libraryCallbacks({ fetch: fetchImpl }) });
 */
export function libraryCallbacks<Own extends Partial<CallbackContext>>(own: Own) {
  const noDecryption: CallbackContext["decryptJwe"] = async () => ({ decrypted: false });
  return { hash: hashCallback, verifyJwt: verifyJwtCallback, encryptJwe: encryptJweCallback, decryptJwe: noDecryption, signJwt: notUsed("signJwt"), ...own };
}
