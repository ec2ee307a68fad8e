/**
 * The same credential the way other systems put it in a QR code, for the benchmark and tests:
 * its W3C JSON (VC Data Model 1.1 with a detached-JWS proof, as JSON-LD wallets carry it) and the
 * MOSIP PixelPass encoding of that JSON (@mosip/pixelpass: JSON -> CBOR -> zlib -> base45).
 * Not exported by the package.
 */
import { createRequire } from "node:module";
import { splitJws } from "./jws";

const require = createRequire(import.meta.url);
const pixelpass = require("@mosip/pixelpass") as { generateQRData(data: string, header?: string): string };

/** The VC-JWT's credential as W3C JSON with a JsonWebSignature2020 proof (detached JWS). */
export function credentialJson(vcJwt: string): Record<string, unknown> {
  const parts = splitJws(vcJwt);
  if (!parts) throw new Error("not a JWS");
  const claims = JSON.parse(parts.payload) as { iss: string; sub?: string; nbf: number; exp: number; vc: Record<string, unknown> };
  const header = JSON.parse(parts.header) as { kid: string };
  const [h, , s] = vcJwt.split(".");
  const { credentialSubject, ...vc } = claims.vc as { credentialSubject: Record<string, unknown> };
  return {
    ...vc,
    issuer: claims.iss,
    issuanceDate: new Date(claims.nbf * 1000).toISOString(),
    expirationDate: new Date(claims.exp * 1000).toISOString(),
    credentialSubject: { id: claims.sub, ...credentialSubject },
    proof: {
      type: "JsonWebSignature2020",
      created: new Date(claims.nbf * 1000).toISOString(),
      proofPurpose: "assertionMethod",
      verificationMethod: header.kid,
      jws: `${h}..${s}`,
    },
  };
}

/** PixelPass QR text of a JSON document (the library's own encoder). */
export function pixelPassEncode(json: unknown): string {
  return pixelpass.generateQRData(JSON.stringify(json));
}
