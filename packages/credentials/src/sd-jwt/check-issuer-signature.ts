/** The issuer-signed JWT of an SD-JWT VC: accepted algorithm, `typ`, a trusted issuer, its signature. */
import { didWebForUrl } from "../did";
import { ACCEPTED_ALGS, verifyCompactSignature, type DecodedJws } from "../lib/jws";
import { fail, joseType } from "../lib/verify-core";
import { findIssuerKeys, type TrustList, type TrustedIssuer } from "../trust";
import { SD_JWT_VC_TYPE } from "./constants";
import type { SdJwtVerificationFailure } from "./verify-types";

type IssuerKey = NonNullable<ReturnType<typeof findIssuerKeys>>[number];

export interface SignedBy {
  issuer: TrustedIssuer;
  /** The issuer's did:web (the origin of `iss`). */
  did: string;
  iss: string;
  /** The kid of the key that verified. */
  kid: string;
}

/**
 * Who signed the issuer JWT, among the trust list's keys of the issuer whose did:web is `iss`'s
 * origin (by `kid` when the header names one); a failure otherwise.
 *
 * @example
 * const signed = await checkIssuerSignature(parts.jws, trust);
 * if ("code" in signed) return signed;
 */
export async function checkIssuerSignature(jws: DecodedJws, trust: TrustList): Promise<SignedBy | SdJwtVerificationFailure> {
  const alg = jws.header.alg;
  if (typeof alg !== "string" || !ACCEPTED_ALGS.has(alg) || jws.header.crit !== undefined) return fail("ERR_ALG_UNSUPPORTED", undefined, { alg: String(alg) });
  const typ = joseType(jws.header);
  if (typ !== SD_JWT_VC_TYPE) return fail("ERR_WRONG_TYPE", undefined, { typ: String(typ) });
  const iss = jws.payload.iss;
  if (typeof iss !== "string") return fail("ERR_MALFORMED", "This card does not say who issued it.");
  const found = trustedIssuerKeys(trust, iss, jws.header.kid);
  if (!found) return fail("ERR_ISSUER_UNTRUSTED", undefined, { issuer: iss });
  let signer: IssuerKey | undefined;
  for (const c of found.candidates) if (await verifyCompactSignature(jws, c.publicKeyJwk)) signer = c;
  if (!signer) return fail("ERR_SIGNATURE_INVALID");
  return { issuer: found.candidates[0]!.issuer, did: found.did, iss, kid: signer.kid };
}

function trustedIssuerKeys(trust: TrustList, iss: string, kid: unknown): { did: string; candidates: IssuerKey[] } | undefined {
  const did = didWebForUrl(iss);
  if (!did || (kid !== undefined && typeof kid !== "string")) return undefined;
  const candidates = findIssuerKeys(trust, did, kid as string | undefined);
  return candidates?.length ? { did, candidates } : undefined;
}
