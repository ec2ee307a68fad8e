/**
 * DIDs Haki uses, all resolvable offline: did:key (Ed25519, multicodec 0xed01, base58btc) and
 * did:jwk for holders and local issuers, did:web for production issuers, whose document the
 * verifier never fetches at the counter: the keys come from its trust list.
 */
import { base58, base64urlnopad } from "@scure/base";
import type { DIDDocument, DIDResolutionResult, ResolverRegistry, VerificationMethod } from "did-resolver";
import { KeyInvalidError } from "./errors";
import { canonicalPublicJwk, Ed25519PublicJwk } from "./lib/jwk";
import type { TrustList } from "./trust";

export { Ed25519PublicJwk } from "./lib/jwk";

const ED25519_PUB_MULTICODEC = [0xed, 0x01] as const;
const DID_CONTEXT = "https://www.w3.org/ns/did/v1";
const JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1";

/**
 * Raw 32-byte Ed25519 public key to its JWK.
 *
 * @example
 * publicJwkFromRaw(raw32); // { kty: "OKP", crv: "Ed25519", x: "..." }
 */
export function publicJwkFromRaw(raw: Uint8Array): Ed25519PublicJwk {
  if (raw.length !== 32) throw new KeyInvalidError("An Ed25519 public key has 32 bytes.");
  return { kty: "OKP", crv: "Ed25519", x: base64urlnopad.encode(raw) };
}

/**
 * JWK to the raw 32-byte Ed25519 public key. Throws `ERR_KEY_INVALID` for other keys.
 *
 * @example
 * didKeyFromPublicKey(rawFromPublicJwk(holder.publicJwk));
 */
export function rawFromPublicJwk(jwk: Ed25519PublicJwk): Uint8Array {
  const parsed = Ed25519PublicJwk.safeParse(jwk);
  if (!parsed.success) throw new KeyInvalidError("Not an Ed25519 public JWK.", { cause: parsed.error });
  const raw = base64urlnopad.decode(parsed.data.x);
  if (raw.length !== 32) throw new KeyInvalidError("An Ed25519 public key has 32 bytes.");
  return raw;
}

/**
 * did:key of a raw Ed25519 public key.
 *
 * @example
 * didKeyFromPublicKey(raw32); // "did:key:z6Mk..."
 */
export function didKeyFromPublicKey(raw: Uint8Array): string {
  if (raw.length !== 32) throw new KeyInvalidError("An Ed25519 public key has 32 bytes.");
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB_MULTICODEC, 0);
  bytes.set(raw, 2);
  return `did:key:z${base58.encode(bytes)}`;
}

/**
 * did:jwk of an Ed25519 public JWK (members crv, kty, x in that order, so one key has one DID).
 *
 * @example
 * didJwkFromPublicJwk({ kty: "OKP", crv: "Ed25519", x }); // "did:jwk:eyJjcnYiOi..."
 */
export function didJwkFromPublicJwk(jwk: Ed25519PublicJwk): string {
  rawFromPublicJwk(jwk);
  return `did:jwk:${base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(canonicalPublicJwk(jwk))))}`;
}

/**
 * The raw Ed25519 public key a did:key or did:jwk stands for. Throws `ERR_KEY_INVALID` for other
 * methods or key types.
 *
 * @example
 * publicKeyFromDid("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"); // Uint8Array(32)
 */
export function publicKeyFromDid(did: string): Uint8Array {
  return rawFromPublicJwk(publicJwkFromDid(did));
}

const jwkCache = new Map<string, Ed25519PublicJwk>();

/**
 * The Ed25519 public JWK a did:key or did:jwk stands for (cached: holders' DIDs repeat).
 *
 * @example
 * publicJwkFromDid(holderDid); // { kty: "OKP", crv: "Ed25519", x: "..." }
 */
export function publicJwkFromDid(did: string): Ed25519PublicJwk {
  const cached = jwkCache.get(did);
  if (cached) return cached;
  const jwk = decodeDid(did);
  if (jwkCache.size > 1000) jwkCache.clear();
  jwkCache.set(did, jwk);
  return jwk;
}

function decodeDid(did: string): Ed25519PublicJwk {
  if (did.startsWith("did:key:z")) {
    let bytes: Uint8Array;
    try {
      bytes = base58.decode(did.slice("did:key:z".length));
    } catch (cause) {
      throw new KeyInvalidError("This did:key is not valid base58.", { cause });
    }
    if (bytes.length !== 34 || bytes[0] !== ED25519_PUB_MULTICODEC[0] || bytes[1] !== ED25519_PUB_MULTICODEC[1]) {
      throw new KeyInvalidError("Only Ed25519 did:key identifiers are supported.");
    }
    return publicJwkFromRaw(bytes.subarray(2));
  }
  if (did.startsWith("did:jwk:")) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64urlnopad.decode(did.slice(8))));
    } catch (cause) {
      throw new KeyInvalidError("This did:jwk does not hold a JSON key.", { cause });
    }
    const parsed = Ed25519PublicJwk.safeParse(json);
    if (!parsed.success) throw new KeyInvalidError("Only Ed25519 did:jwk identifiers are supported.", { cause: parsed.error });
    if ("d" in (json as object)) throw new KeyInvalidError("A did:jwk must not carry a private key.");
    return canonicalPublicJwk(parsed.data);
  }
  throw new KeyInvalidError("Only did:key and did:jwk carry their key in the identifier.");
}

/**
 * The key id (JWS `kid`) of the single key of a did:key or did:jwk.
 *
 * @example
 * keyIdForDid("did:key:z6Mk..."); // "did:key:z6Mk...#z6Mk..."
 */
export function keyIdForDid(did: string): string {
  if (did.startsWith("did:key:")) return `${did}#${did.slice("did:key:".length)}`;
  if (did.startsWith("did:jwk:")) return `${did}#0`;
  throw new KeyInvalidError("Only did:key and did:jwk have a derived key id.");
}

/**
 * The HTTPS URL of a did:web document (did:web:example.org -> https://example.org/.well-known/did.json,
 * did:web:example.org:programmes:cash -> https://example.org/programmes/cash/did.json).
 *
 * @example
 * didWebUrl("did:web:haki.example.org"); // "https://haki.example.org/.well-known/did.json"
 */
export function didWebUrl(did: string): string {
  if (!/^did:web:[A-Za-z0-9.%:_-]+$/.test(did)) throw new KeyInvalidError("Not a did:web identifier.");
  const [host, ...path] = did.slice("did:web:".length).split(":");
  const origin = `https://${decodeURIComponent(host ?? "")}`;
  return path.length === 0 ? `${origin}/.well-known/did.json` : `${origin}/${path.map(decodeURIComponent).join("/")}/did.json`;
}

/**
 * The did:web a URL stands for (https://issuer.example:8443/p -> did:web:issuer.example%3A8443:p):
 * the issuer of an SD-JWT VC (`iss` is its URL) by the DID its keys are published under.
 *
 * @example
 * didWebForUrl("https://issuer.example"); // "did:web:issuer.example"
 */
export function didWebForUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
  const path = u.pathname.split("/").filter(Boolean).map(encodeURIComponent);
  return ["did:web", encodeURIComponent(u.host), ...path].join(":");
}

/** One key of a DID document: `id` is a fragment ("key-1") or a full key id ("did:web:x#key-1"). */
export interface DidKeyEntry {
  id: string;
  publicKeyJwk: Ed25519PublicJwk;
}

/**
 * A full key id (`did#fragment`) from a fragment or a full id.
 *
 * @example
 * fullKeyId("did:web:haki.example.org", "key-1"); // "did:web:haki.example.org#key-1"
 */
export function fullKeyId(did: string, id: string): string {
  if (id.startsWith("did:")) return id;
  return `${did}#${id.startsWith("#") ? id.slice(1) : id}`;
}

/**
 * The DID document an issuer publishes at its did:web URL (JsonWebKey2020 verification methods,
 * usable for assertions and authentication).
 *
 * @example
 * const doc = buildDidWebDocument({ did: "did:web:haki.example.org", keys: [{ id: "key-1", publicKeyJwk }] });
 */
export function buildDidWebDocument(args: { did: string; keys: readonly DidKeyEntry[] }): DIDDocument {
  didWebUrl(args.did);
  return buildDocument(args.did, args.keys, JWS_2020_CONTEXT);
}

function buildDocument(did: string, keys: readonly DidKeyEntry[], suiteContext: string): DIDDocument {
  const methods: VerificationMethod[] = keys.map((k) => ({
    id: fullKeyId(did, k.id),
    type: "JsonWebKey2020",
    controller: did,
    publicKeyJwk: { ...canonicalPublicJwk(Ed25519PublicJwk.parse(k.publicKeyJwk)) },
  }));
  const ids = methods.map((m) => m.id);
  return {
    "@context": [DID_CONTEXT, suiteContext],
    id: did,
    verificationMethod: methods,
    authentication: ids,
    assertionMethod: ids,
  };
}

/**
 * The DID document of a did:key or did:jwk, computed from the identifier (no network).
 *
 * @example
 * buildSelfDescribingDocument("did:key:z6Mk...").verificationMethod[0].publicKeyJwk;
 */
export function buildSelfDescribingDocument(did: string): DIDDocument {
  return buildDocument(did, [{ id: keyIdForDid(did), publicKeyJwk: publicJwkFromDid(did) }], JWS_2020_CONTEXT);
}

function resolution(didDocument: DIDDocument | null, error?: string): DIDResolutionResult {
  return {
    didResolutionMetadata: error ? { error } : { contentType: "application/did+ld+json" },
    didDocument,
    didDocumentMetadata: {},
  };
}

/**
 * Resolves a DID with no network: did:key and did:jwk from the identifier itself, did:web from the
 * trust list (or from documents handed in, e.g. one the issuer serves itself).
 *
 * @example
 * const { didDocument } = resolveDidOffline("did:web:haki.example.org", trust);
 */
export function resolveDidOffline(
  did: string,
  trust?: TrustList,
  documents: readonly DIDDocument[] = [],
): DIDResolutionResult {
  const base = did.split("#")[0] ?? did;
  if (base.startsWith("did:key:") || base.startsWith("did:jwk:")) {
    try {
      return resolution(buildSelfDescribingDocument(base));
    } catch {
      return resolution(null, "invalidDid");
    }
  }
  const doc = documents.find((d) => d.id === base);
  if (doc) return resolution(doc);
  const issuer = trust?.issuers.find((i) => i.did === base);
  if (issuer && base.startsWith("did:web:")) return resolution(buildDidWebDocument({ did: base, keys: issuer.keys }));
  return resolution(null, "notFound");
}

/**
 * A did-resolver registry (for did-jwt, did-jwt-vc, Veramo's DIDResolverPlugin) that resolves
 * did:key, did:jwk and did:web offline as `resolveDidOffline` does.
 *
 * @example
 * const resolver = new Resolver(createOfflineResolverRegistry(trust));
 */
export function createOfflineResolverRegistry(trust?: TrustList, documents: readonly DIDDocument[] = []): ResolverRegistry {
  const resolve = async (did: string) => resolveDidOffline(did, trust, documents);
  return { key: resolve, jwk: resolve, web: resolve };
}
