/** Compact JWS plumbing shared by credentials and presentations. */
import { base64urlnopad } from "@scure/base";
import { backend } from "#crypto";
import type { PublicKeyHandle } from "./backend";
import type { Ed25519PublicJwk } from "./jwk";

/** JWS `alg` values Haki accepts: both name Ed25519 (RFC 8037 "EdDSA", RFC 9864 "Ed25519"). */
export const ACCEPTED_ALGS: ReadonlySet<string> = new Set(["EdDSA", "Ed25519"]);

/**
 * The exact JSON text of the protected header Haki writes: fixed member order. `typ` is `JWT` for
 * VC 1.1 tokens, `vc+jwt` / `vp+jwt` for VC 2.0 (VC-JOSE-COSE).
 */
export function serializeJwsHeader(kid: string, typ = "JWT"): string {
  return JSON.stringify({ alg: "EdDSA", typ, kid });
}

const headerCache = new Map<string, string>();
function encodedHeader(kid: string, typ: string): string {
  const k = `${typ} ${kid}`;
  let h = headerCache.get(k);
  if (h === undefined) {
    h = backend.encodeText(serializeJwsHeader(kid, typ));
    if (headerCache.size > 1000) headerCache.clear();
    headerCache.set(k, h);
  }
  return h;
}

/** Signs a JSON payload text as a compact JWS with Haki's header. */
export async function signCompact(payloadJson: string, kid: string, privateKey: CryptoKey, typ = "JWT"): Promise<string> {
  const signingInput = `${encodedHeader(kid, typ)}.${backend.encodeText(payloadJson)}`;
  return `${signingInput}.${await backend.signJws(signingInput, privateKey)}`;
}

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: string;
}

function parseObject(b64: string): Record<string, unknown> | undefined {
  const text = backend.decodeText(b64);
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS; undefined when it is not one (no signature check). */
export function decodeCompact(jws: unknown): DecodedJws | undefined {
  if (typeof jws !== "string" || jws.length > 64_000) return undefined;
  const parts = jws.split(".");
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parseObject(h);
  const payload = parseObject(p);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature: s };
}

const keyCache = new Map<string, PublicKeyHandle | Promise<PublicKeyHandle>>();

/** The imported public key for a JWK, cached by its `x` (trusted issuers and repeat holders). */
export async function publicKeyHandle(jwk: Ed25519PublicJwk): Promise<PublicKeyHandle> {
  let k = keyCache.get(jwk.x);
  if (k === undefined) {
    k = backend.importPublicKey(jwk);
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(jwk.x, k);
  }
  try {
    return await k;
  } catch (e) {
    keyCache.delete(jwk.x);
    throw e;
  }
}

/** Verifies the signature of a decoded JWS with an Ed25519 JWK. Never throws. */
export async function verifyCompactSignature(jws: DecodedJws, jwk: Ed25519PublicJwk): Promise<boolean> {
  try {
    return await backend.verifyJws(jws.signingInput, jws.signature, await publicKeyHandle(jwk));
  } catch {
    return false;
  }
}

/** Short URL-safe random id (96 bits): a presentation's one-time `jti`. */
export function randomId(): string {
  return base64urlnopad.encode(backend.randomBytes(12));
}
