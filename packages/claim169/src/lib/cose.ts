// COSE_Sign1 (RFC 9052 section 4.2) as Claim 169 uses it: the four-element array, its headers, and
// the Sig_structure the signature covers. The signature itself is checked by Web Crypto.
import { encode as cborEncode } from "cborg";
import {
  Claim169AlgMissingError,
  Claim169AlgUnsupportedError,
  Claim169CriticalHeaderError,
  Claim169EncryptedError,
  Claim169NotCoseError,
} from "../errors";
import { TAG_CWT } from "./cwt";
import { Tagged, decodeCbor } from "./transport";

/** The COSE message tags (RFC 9052 section 2); only COSE_Sign1 is read, the others are named to refuse them. */
export const COSE_TAG = { sign1: 18, encrypt0: 16, encrypt: 96, mac0: 17, mac: 97, sign: 98 } as const;

/** The header labels this reader understands (IANA COSE Header Parameters), so a `crit` naming them is fine. */
export const COSE_HEADER = { alg: 1, crit: 2, contentType: 3, kid: 4 } as const;
const UNDERSTOOD = new Set<unknown>(Object.values(COSE_HEADER));

/** Signature algorithms accepted, by COSE id (IANA COSE Algorithms). -19 and -9 are the fully specified forms. */
export const SIGNATURE_ALGS = new Map<number, SignatureAlg>([
  [-8, "EdDSA"],
  [-19, "EdDSA"],
  [-7, "ES256"],
  [-9, "ES256"],
]);
export type SignatureAlg = "EdDSA" | "ES256";

/** Content-encryption algorithm ids: an untagged 3-element array using one of these is COSE_Encrypt0. */
const ENCRYPTION_ALGS = new Set([1, 2, 3, 10, 11, 12, 13, 24, 25, 30, 31, 32, 33]);

export interface CoseSign1 {
  /** The protected header exactly as signed. */
  protectedBytes: Uint8Array;
  protectedHeader: Map<unknown, unknown>;
  unprotectedHeader: Map<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
  alg: SignatureAlg;
  algId: number;
  kid?: Uint8Array;
  /** Whether the COSE_Sign1 came inside the CWT tag (61). */
  cwtTagged: boolean;
}

function unwrap(value: unknown): { tag?: number; inner: unknown; cwtTagged: boolean } {
  let cwtTagged = false;
  let v = value;
  if (v instanceof Tagged && v.tag === TAG_CWT) {
    cwtTagged = true;
    v = v.value;
  }
  if (v instanceof Tagged) return { tag: v.tag, inner: v.value, cwtTagged };
  return { inner: v, cwtTagged };
}

function headerMap(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw new Claim169NotCoseError(`This QR code is not a signed ID card (its ${what} header is not a map).`);
  return value;
}

function protectedMap(bytes: Uint8Array): Map<unknown, unknown> {
  if (bytes.length === 0) return new Map();
  let decoded: unknown;
  try {
    decoded = decodeCbor(bytes);
  } catch (cause) {
    throw new Claim169NotCoseError("This QR code is not a signed ID card (its signed header is unreadable).", { cause });
  }
  return headerMap(decoded, "signed");
}

function algOf(header: Map<unknown, unknown>): unknown {
  return header.get(COSE_HEADER.alg);
}

/**
 * Reads the COSE object of a decoded QR: a COSE_Sign1, tagged (18, possibly inside the CWT tag 61)
 * or untagged. Encrypted objects are refused with `ERR_CLAIM169_ENCRYPTED`; anything else with
 * `ERR_CLAIM169_NOT_COSE`.
 */
export function parseCoseSign1(value: unknown): CoseSign1 {
  const { tag, inner, cwtTagged } = unwrap(value);
  if (tag === COSE_TAG.encrypt0 || tag === COSE_TAG.encrypt) throw new Claim169EncryptedError();
  if (tag === COSE_TAG.sign || tag === COSE_TAG.mac0 || tag === COSE_TAG.mac) {
    throw new Claim169NotCoseError("This ID card uses a COSE form this app does not read (only COSE_Sign1 is supported).");
  }
  if (tag !== undefined && tag !== COSE_TAG.sign1) throw new Claim169NotCoseError();
  if (!Array.isArray(inner)) throw new Claim169NotCoseError();
  if (tag === undefined && inner.length === 3 && inner[0] instanceof Uint8Array) {
    // Untagged COSE_Encrypt0 is [protected, unprotected, ciphertext]; say "encrypted" when it looks like one.
    const alg = (() => {
      try {
        return algOf(protectedMap(inner[0] as Uint8Array));
      } catch {
        return undefined;
      }
    })();
    if (typeof alg === "number" && ENCRYPTION_ALGS.has(alg)) throw new Claim169EncryptedError();
  }
  if (inner.length !== 4) throw new Claim169NotCoseError();
  const [protectedBytes, unprotected, payload, signature] = inner as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || !(signature instanceof Uint8Array)) throw new Claim169NotCoseError();
  if (!(payload instanceof Uint8Array)) {
    throw new Claim169NotCoseError(
      payload === null ? "This ID card's data is kept elsewhere (detached payload). It cannot be read from the QR code." : undefined,
    );
  }
  const protectedHeader = protectedMap(protectedBytes);
  const unprotectedHeader = headerMap(unprotected, "unsigned");
  for (const label of protectedHeader.keys()) {
    if (unprotectedHeader.has(label)) throw new Claim169NotCoseError("This ID card's headers contradict each other. It cannot be trusted.");
  }
  checkCritical(protectedHeader);
  if (unprotectedHeader.has(COSE_HEADER.crit)) throw new Claim169CriticalHeaderError();
  const rawAlg = algOf(protectedHeader);
  if (rawAlg === undefined) {
    throw new Claim169AlgMissingError(
      algOf(unprotectedHeader) === undefined ? undefined : "This ID card names its signing method outside the signed part. It cannot be trusted.",
    );
  }
  if (tag === undefined && typeof rawAlg === "number" && ENCRYPTION_ALGS.has(rawAlg)) throw new Claim169EncryptedError();
  const alg = typeof rawAlg === "number" ? SIGNATURE_ALGS.get(rawAlg) : undefined;
  if (!alg || typeof rawAlg !== "number") throw new Claim169AlgUnsupportedError();
  const kid = protectedHeader.get(COSE_HEADER.kid) ?? unprotectedHeader.get(COSE_HEADER.kid);
  return {
    protectedBytes,
    protectedHeader,
    unprotectedHeader,
    payload,
    signature,
    alg,
    algId: rawAlg,
    ...(kidBytes(kid) ? { kid: kidBytes(kid)! } : {}),
    cwtTagged,
  };
}

function kidBytes(kid: unknown): Uint8Array | undefined {
  if (kid instanceof Uint8Array) return kid;
  // Some encoders put the kid as text; RFC 9052 says bstr. Read it as its UTF-8 bytes.
  if (typeof kid === "string") return new TextEncoder().encode(kid);
  return undefined;
}

function checkCritical(header: Map<unknown, unknown>): void {
  const crit = header.get(COSE_HEADER.crit);
  if (crit === undefined) return;
  if (!Array.isArray(crit) || crit.length === 0) throw new Claim169CriticalHeaderError();
  for (const label of crit) {
    if (!UNDERSTOOD.has(label) || !header.has(label)) throw new Claim169CriticalHeaderError();
  }
}

/** The bytes a COSE_Sign1 signature covers: Sig_structure with an empty external_aad. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return cborEncode(["Signature1", protectedBytes, new Uint8Array(0), payload]);
}

/** A public key as Web Crypto wants it, per algorithm. */
export function importParams(alg: SignatureAlg): { import: EcKeyImportParams | Algorithm; verify: EcdsaParams | Algorithm } {
  return alg === "EdDSA"
    ? { import: { name: "Ed25519" }, verify: { name: "Ed25519" } }
    : { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } };
}

/** Ed25519 and ES256 signatures are both 64 bytes in COSE (ES256 as r || s). */
export const SIGNATURE_LENGTH = 64;

/**
 * Checks a COSE_Sign1 signature with a Web Crypto public key. False for a wrong length or a
 * signature that does not verify; never throws for bad signatures.
 */
export async function verifySignature(cose: CoseSign1, key: CryptoKey): Promise<boolean> {
  if (cose.signature.length !== SIGNATURE_LENGTH) return false;
  try {
    return await crypto.subtle.verify(
      importParams(cose.alg).verify,
      key,
      cose.signature as Uint8Array<ArrayBuffer>,
      sigStructure(cose.protectedBytes, cose.payload) as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}
