// Test support: the published Claim 169 vectors (test-vectors/reference-vectors.json) and their keys as
// an identity trust list. Imported by tests only.
import { readFileSync } from "node:fs";
import { encode as cborEncode } from "cborg";
import { base64urlnopad, hex } from "@scure/base";
import { base45Encode, decodeBase45Strict, decodeCbor, inflateZlib, Tagged } from "./transport";
import { sigStructure } from "./cose";
import { zlibSync } from "fflate";
import type { IdentityIssuerInput } from "../trust";

export interface ReferenceVector {
  name: string;
  category: "valid" | "invalid" | "edge";
  note?: string;
  source: { repository: string; path: string; commit: string };
  qr_data: string;
  expected_error?: string;
  signing_key?: { algorithm: "EdDSA" | "ES256"; public_key_hex: string };
  expected_claim169?: Record<string, unknown>;
  expected_cwt_meta?: { issuer?: string; subject?: string; expiresAt?: number; notBefore?: number; issuedAt?: number };
}

export const referenceVectors: ReferenceVector[] = JSON.parse(
  readFileSync(new URL("../../test-vectors/reference-vectors.json", import.meta.url), "utf8"),
).vectors;

export function vector(name: string): ReferenceVector {
  const v = referenceVectors.find((x) => x.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
}

/** The vector's published public key as a trust list entry. */
export function issuerOf(v: ReferenceVector, id = v.expected_cwt_meta?.issuer ?? "https://mosip.example.org"): IdentityIssuerInput {
  const key = v.signing_key!;
  const raw = hex.decode(key.public_key_hex);
  const publicKeyJwk =
    key.algorithm === "EdDSA"
      ? { kty: "OKP" as const, crv: "Ed25519" as const, x: base64urlnopad.encode(raw) }
      : { kty: "EC" as const, crv: "P-256" as const, x: base64urlnopad.encode(raw.slice(1, 33)), y: base64urlnopad.encode(raw.slice(33, 65)) };
  return { id, name: `Reference vector ${v.name}`, keys: [{ alg: key.algorithm, publicKeyJwk }] };
}

/** The COSE_Sign1 array inside a zlib QR text, and a way to put a changed one back. */
export function openCose(text: string): unknown[] {
  const value = decodeCbor(inflateZlib(decodeBase45Strict(text)));
  const inner = value instanceof Tagged ? value.value : value;
  return inner as unknown[];
}

export function closeCose(parts: unknown[], options: { tag?: boolean } = {}): string {
  const body = options.tag === false ? parts : new Tagged(18, parts);
  return base45Encode(zlibSync(cborEncode(body, { mapSorter: () => 0 })));
}

/**
 * Re-signs a published vector's exact protected header and payload with a test key (the
 * reference vectors other than two are published with an empty signature).
 */
export async function resign(text: string, privateKey: CryptoKey, alg: "EdDSA" | "ES256" = "EdDSA"): Promise<string> {
  const parts = openCose(text);
  const params = alg === "EdDSA" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" };
  const tbs = sigStructure(parts[0] as Uint8Array, parts[2] as Uint8Array);
  parts[3] = new Uint8Array(await crypto.subtle.sign(params, privateKey, tbs as Uint8Array<ArrayBuffer>));
  return closeCose(parts);
}
