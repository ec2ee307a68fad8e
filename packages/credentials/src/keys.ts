/**
 * Ed25519 key pairs through Web Crypto (Node 20 and current browsers), with their DIDs.
 *
 * A key pair carries its identifier: `did` and `kid` (the JWS key id). Holders use did:key (or
 * did:jwk); an issuer in production names its key pair with its did:web (`withIdentifier`).
 */
import { Ed25519PrivateJwk, Ed25519PublicJwk } from "./lib/jwk";
import { didJwkFromPublicJwk, didKeyFromPublicKey, fullKeyId, keyIdForDid, rawFromPublicJwk } from "./did";
import { KeyInvalidError } from "./errors";
import { decodeCompact, verifyCompactSignature } from "./lib/jws";

export { Ed25519PrivateJwk, Ed25519PublicJwk } from "./lib/jwk";

const ED25519 = { name: "Ed25519" } as const;

/** What signing needs: the private key and the key id that goes into the JWS header. */
export interface SigningKey {
  /** `<did>#<key id>`; its DID part must be the issuer (credential) or holder (presentation). */
  kid: string;
  privateKey: CryptoKey;
}

/** An Ed25519 key pair with its DID. */
export interface HakiKeyPair extends SigningKey {
  did: string;
  publicKey: CryptoKey;
  publicJwk: Ed25519PublicJwk;
}

export type DidMethod = "key" | "jwk";

function identify(publicJwk: Ed25519PublicJwk, method: DidMethod): { did: string; kid: string } {
  const did = method === "jwk" ? didJwkFromPublicJwk(publicJwk) : didKeyFromPublicKey(rawFromPublicJwk(publicJwk));
  return { did, kid: keyIdForDid(did) };
}

/**
 * A new Ed25519 key pair, named by did:key (default) or did:jwk. Extractable by default so an issuer
 * can back it up; a wallet passes `extractable: false` to keep the private key inside the browser.
 *
 * @example
 * const holder = await generateKeyPair({ extractable: false });
 * holder.did; // "did:key:z6Mk..."
 */
export async function generateKeyPair(options: { extractable?: boolean; method?: DidMethod } = {}): Promise<HakiKeyPair> {
  const pair = (await crypto.subtle.generateKey(ED25519, options.extractable ?? true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const publicJwk = Ed25519PublicJwk.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  return { ...identify(publicJwk, options.method ?? "key"), privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
}

/**
 * Imports a private Ed25519 JWK. Named by did:key unless `did` (e.g. the issuer's did:web) and
 * `keyId` (fragment or full kid) are given. Throws `ERR_KEY_INVALID` for anything but an Ed25519
 * private key whose `x` matches `d`.
 *
 * @example
 * const issuer = await importKeyPair(jwkFromVault, { did: "did:web:haki.example.org", keyId: "key-1" });
 */
export async function importKeyPair(
  jwk: unknown,
  options: { did?: string; keyId?: string; extractable?: boolean; method?: DidMethod } = {},
): Promise<HakiKeyPair> {
  const parsed = Ed25519PrivateJwk.safeParse(jwk);
  if (!parsed.success) throw new KeyInvalidError("Not an Ed25519 private JWK.", { cause: parsed.error });
  const { kty, crv, x, d } = parsed.data;
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("jwk", { kty, crv, x, d }, ED25519, options.extractable ?? true, ["sign"]);
    publicKey = await crypto.subtle.importKey("jwk", { kty, crv, x }, ED25519, true, ["verify"]);
    // Web Crypto does not check that x belongs to d: a sign/verify round trip does.
    const probe = new Uint8Array([104, 97, 107, 105]);
    const sig = await crypto.subtle.sign(ED25519, privateKey, probe);
    if (!(await crypto.subtle.verify(ED25519, publicKey, sig, probe))) throw new Error("x does not match d");
  } catch (cause) {
    throw new KeyInvalidError("This private key cannot be used for Ed25519 signing.", { cause });
  }
  const publicJwk: Ed25519PublicJwk = { kty, crv, x };
  const id = options.did
    ? { did: options.did, kid: fullKeyId(options.did, options.keyId ?? "key-1") }
    : identify(publicJwk, options.method ?? "key");
  return { ...id, privateKey, publicKey, publicJwk };
}

/**
 * The private JWK of an extractable key pair (for a backup or a KMS import).
 *
 * @example
 * const jwk = await exportPrivateJwk(issuer); // { kty: "OKP", crv: "Ed25519", x, d }
 */
export async function exportPrivateJwk(keyPair: Pick<HakiKeyPair, "privateKey">): Promise<Ed25519PrivateJwk> {
  try {
    const jwk = await crypto.subtle.exportKey("jwk", keyPair.privateKey);
    return Ed25519PrivateJwk.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d });
  } catch (cause) {
    throw new KeyInvalidError("This private key cannot be exported.", { cause });
  }
}

/**
 * The same key pair named by another DID, e.g. an issuer's did:web and its key fragment.
 *
 * @example
 * const issuerKey = withIdentifier(await generateKeyPair(), "did:web:haki.example.org", "key-1");
 */
export function withIdentifier(keyPair: HakiKeyPair, did: string, keyId: string): HakiKeyPair {
  return { ...keyPair, did, kid: fullKeyId(did, keyId) };
}

/**
 * Checks the EdDSA signature of a compact JWS with an Ed25519 public JWK (nothing else: the caller
 * checks the header and claims). node:crypto in Node, Web Crypto in browsers; never throws.
 *
 * @example
 * if (!(await verifyJwsSignature(proofJwt, holderJwk))) refuse();
 */
export async function verifyJwsSignature(jws: string, publicJwk: Ed25519PublicJwk): Promise<boolean> {
  const decoded = decodeCompact(jws);
  if (!decoded || decoded.header.alg !== "EdDSA") return false;
  return verifyCompactSignature(decoded, publicJwk);
}
