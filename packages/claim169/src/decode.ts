/**
 * Reads a Claim 169 QR text without checking its signature: base45 -> zlib (or Brotli) -> COSE_Sign1
 * -> CWT -> claim 169. For showing what a code says, or as the first step of `verifyClaim169`;
 * nothing read here is trusted until `verifyClaim169` says so.
 */
import {
  CLAIM169_ERROR_CODES,
  Claim169DecompressError,
  Claim169EmptyError,
  Claim169Error,
  Claim169MalformedError,
  Claim169MissingError,
  Claim169NotCwtError,
  Claim169TooLargeError,
} from "./errors";
import { parseCoseSign1, type CoseSign1, type SignatureAlg } from "./lib/cose";
import { CLAIM_169, CWT_CLAIM, TAG_CWT } from "./lib/cwt";
import { asInt, parseIdentity } from "./lib/fields";
import { MAX_TEXT_LENGTH, Tagged, decodeBase45Strict, decodeCbor, hasZlibHeader, inflate, inflateZlib } from "./lib/transport";
import type { Claim169Identity, CwtClaims, UnknownField } from "./model";

export { CLAIM_169 } from "./lib/cwt";

/** A decoded (not yet verified) Claim 169 QR. */
export interface DecodedClaim169 {
  identity: Claim169Identity;
  cwt: CwtClaims;
  /** The signature envelope: algorithm, key id, and the bytes `verifyClaim169` checks. */
  cose: CoseSign1;
  /** The key id as text when it is UTF-8, else `hex:` and its hex digits. */
  kid?: string;
  alg: SignatureAlg;
  compression: "zlib" | "brotli";
}

/** The key id as the trust list writes it: UTF-8 text, or `hex:` + hex for binary ids. */
export function kidText(kid: Uint8Array): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(kid);
    if (/^[\x20-\x7e]+$/.test(text)) return text;
  } catch {
    // binary kid
  }
  return "hex:" + Array.from(kid, (b) => b.toString(16).padStart(2, "0")).join("");
}

function numericDate(claims: Map<unknown, unknown>, key: number, name: string): Date | undefined {
  const v = claims.get(key);
  if (v === undefined) return undefined;
  const n = typeof v === "number" && Number.isFinite(v) ? v : asInt(v);
  if (n === undefined || n < 0) throw new Claim169NotCwtError(`This ID card's ${name} date is unreadable. It cannot be trusted.`);
  return new Date(Math.floor(n) * 1000);
}

function textClaim(claims: Map<unknown, unknown>, key: number, name: string): string | undefined {
  const v = claims.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Claim169NotCwtError(`This ID card's ${name} is unreadable.`);
  return v;
}

function parseCwt(payload: Uint8Array): { cwt: CwtClaims; claim169: Map<unknown, unknown> } {
  let claims = decodeCbor(payload);
  if (claims instanceof Tagged && claims.tag === TAG_CWT) claims = claims.value;
  if (!(claims instanceof Map)) throw new Claim169NotCwtError();
  const aud = claims.get(CWT_CLAIM.aud);
  const cti = claims.get(CWT_CLAIM.cti);
  const otherClaims: UnknownField[] = [];
  for (const [k, v] of claims) {
    const key = asInt(k);
    if (key === undefined || key < CWT_CLAIM.iss || (key > CWT_CLAIM.cti && key !== CLAIM_169)) otherClaims.push({ key: key ?? String(k), value: v });
  }
  const cwt: CwtClaims = { otherClaims };
  const iss = textClaim(claims, CWT_CLAIM.iss, "issuer");
  const sub = textClaim(claims, CWT_CLAIM.sub, "subject");
  if (iss !== undefined) cwt.issuer = iss;
  if (sub !== undefined) cwt.subject = sub;
  if (typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string"))) cwt.audience = aud as string | string[];
  const exp = numericDate(claims, CWT_CLAIM.exp, "end");
  const nbf = numericDate(claims, CWT_CLAIM.nbf, "start");
  const iat = numericDate(claims, CWT_CLAIM.iat, "issue");
  if (exp) cwt.expiresAt = exp;
  if (nbf) cwt.notBefore = nbf;
  if (iat) cwt.issuedAt = iat;
  if (cti instanceof Uint8Array) cwt.cwtId = cti;
  const claim169 = claims.get(CLAIM_169);
  if (claim169 === undefined) throw new Claim169MissingError();
  if (!(claim169 instanceof Map)) throw new Claim169MalformedError();
  return { cwt, claim169 };
}

function prepare(text: string): Uint8Array {
  if (typeof text !== "string" || text.length === 0) throw new Claim169EmptyError();
  // Base45 has a space in its alphabet: only line endings a scanner may add are removed.
  const qr = text.replace(/[\r\n]+$/, "");
  if (qr.length === 0) throw new Claim169EmptyError();
  if (qr.length > MAX_TEXT_LENGTH) throw new Claim169TooLargeError();
  return decodeBase45Strict(qr);
}

function decodeInflated(cbor: Uint8Array, compression: "zlib" | "brotli"): DecodedClaim169 {
  const cose = parseCoseSign1(decodeCbor(cbor));
  const { cwt, claim169 } = parseCwt(cose.payload);
  return {
    identity: parseIdentity(claim169),
    cwt,
    cose,
    ...(cose.kid ? { kid: kidText(cose.kid) } : {}),
    alg: cose.alg,
    compression,
  };
}

/**
 * Decodes a scanned Claim 169 QR text. Throws a `Claim169Error` with a stable code for anything that
 * is not a readable, signed (not encrypted) Claim 169 CWT. Does NOT check the signature or dates.
 *
 * @example
 * const seen = await decodeClaim169(scannedText);
 * seen.identity.fullName; // "Jane Marie Smith" (unverified)
 */
export async function decodeClaim169(text: string): Promise<DecodedClaim169> {
  const compressed = prepare(text);
  const compression = hasZlibHeader(compressed) ? "zlib" : "brotli";
  return decodeInflated(await inflate(compressed), compression);
}

/**
 * `decodeClaim169` for zlib-compressed codes (all but the newest), synchronously: for code
 * that must answer at once, such as `identifyQr`. A Brotli code throws `ERR_CLAIM169_DECOMPRESS`;
 * `decodeClaim169` reads those.
 *
 * @example
 * const seen = decodeClaim169Sync(scannedText);
 */
export function decodeClaim169Sync(text: string): DecodedClaim169 {
  const compressed = prepare(text);
  if (!hasZlibHeader(compressed)) throw new Claim169DecompressError("This code is not zlib-compressed; read it with decodeClaim169.");
  return decodeInflated(inflateZlib(compressed), "zlib");
}

/** Failures found inside a COSE envelope: from "encrypted" to "critical header" in the code list. */
const PAST_THE_ENVELOPE = new Set<string>(
  CLAIM169_ERROR_CODES.slice(CLAIM169_ERROR_CODES.indexOf("ERR_CLAIM169_ENCRYPTED"), CLAIM169_ERROR_CODES.indexOf("ERR_CLAIM169_CRITICAL_HEADER") + 1),
);

/**
 * True when a decode error came from inside a COSE envelope: the text is a COSE/CWT code (an ID
 * card, possibly broken or encrypted), not some other kind of QR code.
 *
 * @example
 * if (isClaim169Failure(error)) show(error.message); else show("Not a code this app knows.");
 */
export function isClaim169Failure(error: unknown): error is Claim169Error {
  return error instanceof Claim169Error && PAST_THE_ENVELOPE.has(error.code);
}
