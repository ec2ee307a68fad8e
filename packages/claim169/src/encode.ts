/**
 * Makes a signed Claim 169 QR text: claim 169 in a CWT, signed as a COSE_Sign1 (Ed25519 or ECDSA
 * P-256 through Web Crypto), zlib-compressed, base45. What a national ID authority does; Haki uses
 * it for demo ID cards and tests.
 */
import { encode as base45Encode } from "base45-ts";
import { Tagged, encode as cborEncode } from "cborg";
import { zlibSync } from "fflate";
import { Claim169InputInvalidError } from "./errors";
import { COSE_HEADER, COSE_TAG, sigStructure, type SignatureAlg } from "./lib/cose";
import { CLAIM_169, CWT_CLAIM, TAG_CWT } from "./lib/cwt";
import { buildIdentityMap, type Claim169Input } from "./lib/fields";

export type { Claim169Input } from "./lib/fields";

/** The issuing authority's signing key. The private key never leaves Web Crypto. */
export interface Claim169Signer {
  alg: SignatureAlg;
  privateKey: CryptoKey;
  /** Written as the COSE `kid` (UTF-8 bytes). */
  kid?: string;
}

export interface Claim169CwtInput {
  issuer?: string;
  subject?: string;
  expiresAt?: Date;
  notBefore?: Date;
  issuedAt?: Date;
}

export interface EncodeClaim169Options {
  /** Wrap the COSE_Sign1 in the CWT tag (61) too. Default false (the reference vectors do not). */
  cwtTag?: boolean;
}

const COSE_ALG_IDS: Record<SignatureAlg, number> = { EdDSA: -8, ES256: -7 };
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Signs identity data as a Claim 169 QR text. Throws `ERR_CLAIM169_INPUT_INVALID` for an unusable key.
 *
 * @example
 * const text = await encodeClaim169({ id: "3918592438", fullName: "Amina Njeri", dateOfBirth: "19880102" },
 *   { issuer: "https://id.example", expiresAt }, { alg: "EdDSA", privateKey, kid: "id-2027" });
 */
export async function encodeClaim169(
  identity: Claim169Input,
  cwt: Claim169CwtInput,
  signer: Claim169Signer,
  options: EncodeClaim169Options = {},
): Promise<string> {
  const claims = new Map<number, unknown>();
  if (cwt.issuer !== undefined) claims.set(CWT_CLAIM.iss, cwt.issuer);
  if (cwt.subject !== undefined) claims.set(CWT_CLAIM.sub, cwt.subject);
  if (cwt.expiresAt) claims.set(CWT_CLAIM.exp, seconds(cwt.expiresAt));
  if (cwt.notBefore) claims.set(CWT_CLAIM.nbf, seconds(cwt.notBefore));
  if (cwt.issuedAt) claims.set(CWT_CLAIM.iat, seconds(cwt.issuedAt));
  claims.set(CLAIM_169, buildIdentityMap(identity));
  const payload = cborEncode(claims, { mapSorter: () => 0 });
  const protectedBytes = cborEncode(new Map([[COSE_HEADER.alg, COSE_ALG_IDS[signer.alg]]]));
  const unprotected = new Map<number, unknown>();
  if (signer.kid !== undefined) unprotected.set(COSE_HEADER.kid, new TextEncoder().encode(signer.kid));
  const params = signer.alg === "EdDSA" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" };
  let signature: Uint8Array;
  try {
    signature = new Uint8Array(await crypto.subtle.sign(params, signer.privateKey, sigStructure(protectedBytes, payload) as Uint8Array<ArrayBuffer>));
  } catch (cause) {
    throw new Claim169InputInvalidError("The ID authority's key cannot sign with this algorithm.", { cause });
  }
  const sign1 = new Tagged(COSE_TAG.sign1, [protectedBytes, unprotected, payload, signature]);
  const cose = cborEncode(options.cwtTag ? new Tagged(TAG_CWT, sign1) : sign1, { mapSorter: () => 0 });
  return base45Encode(zlibSync(cose, { level: 9 }));
}
