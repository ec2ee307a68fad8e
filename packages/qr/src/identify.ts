/**
 * What a scanned QR code is, so the service point can say something useful about any code a
 * beneficiary shows: a Haki proof (decoded, ready to verify), a plain VC-JWT (Haki's own can be
 * verified as they are; other issuers' are only identified), a MOSIP PixelPass credential
 * (JSON -> CBOR -> zlib -> base45; identified, not verified here), a MOSIP Claim 169 national ID
 * QR (decoded here, verified with `@haki/claim169/verify` against identity issuers), or something else.
 */
import { decode as cborDecode } from "cborg";
import { unzlibSync } from "fflate";
import { decodeClaim169Sync, isClaim169Failure, type DecodedClaim169 } from "@haki/claim169/decode";
import type { Claim169Error } from "@haki/claim169/errors";
import { EntitlementJwtPayload } from "@haki/credentials/model";
import { PresentationJwtPayload } from "@haki/credentials/presentation";
import { decodeProof, type DecodedProof, type DecodeProofOptions } from "./codec";
import { HakiQrError, QrCorruptError } from "./errors";
import { decodeBase45 } from "./lib/base45";
import { utf8Decode } from "./lib/bytes";
import { parseJson, splitJws } from "./lib/jws";

/** What the verifier knows, to read Haki proofs that name their issuer, key or programme by reference (`decodeReferences`). */
export type IdentifyQrOptions = DecodeProofOptions;

/** What a foreign credential says about itself (unverified). */
export interface ForeignCredentialSummary {
  issuer?: string;
  types: string[];
  /** VC-JWT `exp` / `expirationDate` / `validUntil`, when given. */
  validUntil?: string;
}

export type IdentifiedQr =
  | { kind: "haki"; proof: DecodedProof; verifiable: true; message: string }
  | { kind: "haki"; error: HakiQrError; verifiable: false; message: string }
  | {
      kind: "vc-jwt";
      jwt: string;
      /** True when it is a Haki entitlement credential or presentation: verify it as it is. */
      verifiable: boolean;
      summary: ForeignCredentialSummary;
      message: string;
    }
  | { kind: "pixelpass"; credential: unknown; verifiable: false; summary: ForeignCredentialSummary; message: string }
  /** A national ID card's Claim 169 QR: decoded, not yet verified (verify it with `verifyClaim169`). */
  | { kind: "claim169"; claim169: DecodedClaim169; verifiable: true; message: string }
  /** A Claim 169 QR that cannot be read here (encrypted, no identity data, unknown signing method). */
  | { kind: "claim169"; error: Claim169Error; verifiable: false; message: string }
  | { kind: "unknown"; verifiable: false; message: string };

const MAX_FOREIGN_JSON_BYTES = 256 * 1024;

const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];

function issuerOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string") return (v as { id: string }).id;
  return undefined;
}

function summarize(vcLike: Record<string, unknown>, jwtClaims?: Record<string, unknown>): ForeignCredentialSummary {
  const exp = jwtClaims?.exp;
  const until = typeof exp === "number" ? new Date(exp * 1000).toISOString() : (vcLike.expirationDate ?? vcLike.validUntil);
  return {
    issuer: issuerOf(jwtClaims?.iss) ?? issuerOf(vcLike.issuer),
    types: asStrings(vcLike.type),
    ...(typeof until === "string" ? { validUntil: until } : {}),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function identifyJwt(text: string): IdentifiedQr | undefined {
  const parts = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text) ? splitJws(text) : undefined;
  if (!parts) return undefined;
  const claims = parseJson(parts.payload);
  if (!isRecord(claims)) return undefined;
  const body = isRecord(claims.vc) ? claims.vc : isRecord(claims.vp) ? claims.vp : undefined;
  if (!body) return undefined;
  const haki = EntitlementJwtPayload.safeParse(claims).success || PresentationJwtPayload.safeParse(claims).success;
  return {
    kind: "vc-jwt",
    jwt: text,
    verifiable: haki,
    summary: summarize(body, claims),
    message: haki
      ? "A Haki credential in plain form: it can be checked as usual."
      : "A credential from another system. This app can show what it says but cannot check it.",
  };
}

function identifyPixelPass(text: string): IdentifiedQr | undefined {
  let json: unknown;
  try {
    const inflated = unzlibSync(decodeBase45(text), { out: new Uint8Array(MAX_FOREIGN_JSON_BYTES + 1) });
    if (inflated.length > MAX_FOREIGN_JSON_BYTES) return undefined;
    try {
      json = cborDecode(inflated, { useMaps: false });
    } catch {
      json = parseJson(utf8Decode(inflated));
    }
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const vcLike = isRecord(json.vc) ? json.vc : isRecord(json.verifiableCredential) ? json.verifiableCredential : json;
  if (!("credentialSubject" in vcLike) && !("type" in vcLike) && !("@context" in vcLike)) return undefined;
  return {
    kind: "pixelpass",
    credential: json,
    verifiable: false,
    summary: summarize(vcLike),
    message: "A credential from another system (MOSIP PixelPass). This app can show what it says but cannot check it.",
  };
}

function identifyClaim169(text: string): IdentifiedQr | undefined {
  try {
    return { kind: "claim169", claim169: decodeClaim169Sync(text), verifiable: true, message: "A national ID card (Claim 169): checking it." };
  } catch (e) {
    return isClaim169Failure(e) ? { kind: "claim169", error: e, verifiable: false, message: e.message } : undefined;
  }
}

/**
 * Says what a scanned QR text is. Never throws.
 *
 * @example
 * const seen = identifyQr(text, { issuers: trust.issuers.map((i) => i.did) });
 * if (seen.kind === "haki" && "proof" in seen) await verifyCredential(seen.proof.jwt, trust);
 * else show(seen.message);
 */
export function identifyQr(text: string, options: IdentifyQrOptions = {}): IdentifiedQr {
  if (typeof text !== "string" || text.length === 0) return { kind: "unknown", verifiable: false, message: "This QR code is empty." };
  if (text.startsWith("HK")) {
    try {
      const proof = decodeProof(text, options);
      return { kind: "haki", proof, verifiable: true, message: "A Haki entitlement: checking it." };
    } catch (e) {
      const error = e instanceof HakiQrError ? e : new QrCorruptError(undefined, { cause: e });
      if (error.code !== "ERR_QR_NOT_HAKI") return { kind: "haki", error, verifiable: false, message: error.message };
    }
  }
  const trimmed = text.replace(/[\r\n]+$/, "");
  const jwt = identifyJwt(trimmed);
  if (jwt) return jwt;
  const claim169 = trimmed.length <= 8192 ? identifyClaim169(trimmed) : undefined;
  if (claim169) return claim169;
  const pixel = trimmed.length <= 8192 ? identifyPixelPass(trimmed) : undefined;
  if (pixel) return pixel;
  return { kind: "unknown", verifiable: false, message: "This QR code is not a credential this app knows." };
}

/**
 * The name the helper brief planned for `identifyQr`; the same function.
 *
 * @example
 * identifyForeignQr(text).kind; // "pixelpass"
 */
export const identifyForeignQr = identifyQr;
