/**
 * The DCI envelope signature. The Social Registry API (v1.0.0) describes `signature` as a string
 * shaped like an HTTP Signature: `Signature: namespace="dci", kidId="{sender_id}|{key_id}|{algorithm}",
 * algorithm="ed25519", created="…", expires="…", headers="(created) (expires) digest",
 * signature="Base64(signing content)"`, "of {header}+{message}", keys published as a JWKS.
 * The spec does not pin the signing content further; Haki follows the Beckn profile the DCI string
 * is copied from: the signing string is
 *   "(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={base64(BLAKE2b-512(body))}"
 * where body is JSON.stringify(header) + JSON.stringify(message), and the signature is Ed25519.
 * Web Crypto does the Ed25519 work; @noble/hashes the BLAKE2b digest (Web Crypto has none).
 */
import { blake2b } from "@noble/hashes/blake2.js";

/** Web Crypto's key type, named without the DOM lib. */
export type SigningCryptoKey = Parameters<typeof crypto.subtle.sign>[1];

export interface ParsedSignature {
  namespace?: string;
  senderId: string;
  keyId: string;
  algorithm: string;
  created: number;
  expires: number;
  headers: string;
  signature: Uint8Array;
}

const SIGNED_HEADERS = "(created) (expires) digest";

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The text that is signed for one envelope. */
export function signingString(header: unknown, message: unknown, created: number, expires: number): string {
  // A header-only envelope (a refused message) signs the header alone.
  const body = new TextEncoder().encode(JSON.stringify(header) + (message === undefined ? "" : JSON.stringify(message)));
  const digest = toBase64(blake2b(body, { dkLen: 64 }));
  return `(created): ${created}\n(expires): ${expires}\ndigest: BLAKE-512=${digest}`;
}

/** Reads the parameters of a DCI signature string; undefined when it is not one. */
export function parseSignature(value: string): ParsedSignature | undefined {
  const params = new Map<string, string>();
  for (const m of value.replace(/^\s*Signature:\s*/i, "").matchAll(/([A-Za-z]+)\s*=\s*"([^"]*)"/g)) {
    params.set(m[1]!.toLowerCase(), m[2]!);
  }
  const kid = params.get("kidid") ?? params.get("keyid");
  const sig = params.get("signature");
  const created = Number(params.get("created"));
  const expires = Number(params.get("expires"));
  if (!kid || !sig || !Number.isInteger(created) || !Number.isInteger(expires)) return undefined;
  const [senderId, keyId, algorithm] = kid.split("|");
  if (!senderId || !keyId || !algorithm) return undefined;
  let signature: Uint8Array;
  try {
    signature = fromBase64(sig);
  } catch {
    return undefined;
  }
  return {
    namespace: params.get("namespace"),
    senderId,
    keyId,
    algorithm: (params.get("algorithm") ?? algorithm).toLowerCase(),
    created,
    expires,
    headers: params.get("headers") ?? SIGNED_HEADERS,
    signature,
  };
}

/**
 * Signs an envelope's header and message (a registry does this; Haki's tests and mock registry use
 * it to serve signed responses).
 *
 * @example
 * const signature = await signEnvelope(header, message, { privateKey, senderId: "sr.example.gov", keyId: "key-1" });
 * // 'Signature: namespace="dci", kidId="sr.example.gov|key-1|ed25519", algorithm="ed25519", created="…", …'
 */
export async function signEnvelope(
  header: unknown,
  message: unknown,
  key: { privateKey: SigningCryptoKey; senderId: string; keyId: string },
  options: { created?: number; ttlSeconds?: number; namespace?: string } = {},
): Promise<string> {
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const expires = created + (options.ttlSeconds ?? 3600);
  const data = new TextEncoder().encode(signingString(header, message, created, expires));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, data));
  return (
    `Signature: namespace="${options.namespace ?? "dci"}", kidId="${key.senderId}|${key.keyId}|ed25519", algorithm="ed25519", ` +
    `created="${created}", expires="${expires}", headers="${SIGNED_HEADERS}", signature="${toBase64(sig)}"`
  );
}

/** Checks an Ed25519 signature over the signing string with a public JWK. */
export async function verifySigningString(jwk: { kty: string; crv?: string; x?: string }, text: string, signature: Uint8Array): Promise<boolean> {
  const key = await crypto.subtle.importKey("jwk", { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature as Uint8Array<ArrayBuffer>, new TextEncoder().encode(text));
}

export { SIGNED_HEADERS };
