/** The verifier's side: an SD-JWT VC presentation checked offline, as a list of named steps. */
import { fail, neverThrows } from "../lib/verify-core";
import type { TrustList } from "../trust";
import { checkIssuerSignature } from "./check-issuer-signature";
import { checkKeyBinding } from "./check-key-binding";
import { checkTokenStatus, checkValidityPeriod } from "./check-validity";
import { SD_JWT_VC_TYPE } from "./constants";
import { readDisclosedClaims } from "./read-claims";
import { splitPresentation } from "./split-presentation";
import type { SdJwtVerificationResult, VerifySdJwtVcOptions } from "./verify-types";

/**
 * Verifies an SD-JWT VC presentation offline against the trust list: issuer signature (EdDSA,
 * key by `kid` from the issuer whose did:web is `iss`'s origin), `typ`, disclosure digests, `vct`,
 * claims, validity, status, and the KB-JWT (holder key from `cnf`, `sd_hash`, fresh `iat`,
 * `aud`, `nonce`, nonce not used before). Never throws; failures carry stable codes
 * (ERR_ALG_UNSUPPORTED for `alg: none`, ERR_SIGNATURE_INVALID, ERR_DISCLOSURE_INVALID,
 * ERR_KEY_BINDING_MISSING, ERR_KEY_BINDING_INVALID, ERR_NONCE_MISMATCH, ERR_PRESENTATION_REPLAYED...).
 *
 * @example
 * const r = await verifySdJwtVc(shown, trust, { audience: "sp-demo-nairobi", nonce, nonceStore, status });
 * if (r.valid) handOver(r.subject.benefit);
 */
export async function verifySdJwtVc(presentation: string, trust: TrustList, options: VerifySdJwtVcOptions = {}): Promise<SdJwtVerificationResult> {
  return neverThrows(() => verifyUnsafe(typeof presentation === "string" ? presentation.trim() : "", trust, options));
}

async function verifyUnsafe(presentation: string, trust: TrustList, options: VerifySdJwtVcOptions): Promise<SdJwtVerificationResult> {
  const parts = splitPresentation(presentation);
  if (!parts) return fail("ERR_MALFORMED");
  const signed = await checkIssuerSignature(parts.jws, trust);
  if ("code" in signed) return signed;
  const read = await readDisclosedClaims(parts, signed.issuer, options);
  if ("code" in read) return read;

  const c = read.header;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 60;
  const outOfPeriod = checkValidityPeriod(c, now, tolerance);
  if (outOfPeriod) return outOfPeriod;
  const status = checkTokenStatus(c.status, options);
  if (typeof status !== "string") return status;
  const keyBinding = await checkKeyBinding(parts, c.cnf.jwk, now, tolerance, options);
  if (keyBinding && "code" in keyBinding) return keyBinding;

  return {
    valid: true,
    format: SD_JWT_VC_TYPE,
    issuer: { did: signed.did, name: signed.issuer.name, url: signed.iss },
    kid: signed.kid,
    subject: read.subject,
    disclosed: read.disclosed,
    holderBinding: keyBinding ? "verified" : "required",
    ...(keyBinding ? { keyBinding } : {}),
    status,
    validFrom: new Date(c.nbf * 1000),
    validUntil: new Date(c.exp * 1000),
    vct: c.vct,
    claims: read.claims,
  };
}
