/**
 * Verifying an entitlement credential offline: signature against the trust list, type, schema,
 * validity period, status (through a lookup over cached status lists) and holder binding.
 *
 * Never throws for bad input; every failure is `{ valid: false, code, reason, error }`.
 */
import { decodeCompact } from "./lib/jws";
import { fail, verifyDecodedCredential, type VerificationResult, type VerifyCredentialOptions } from "./lib/verify-core";
import type { TrustList } from "./trust";

export type {
  StatusCheck,
  StatusLookup,
  VerificationFailure,
  VerificationResult,
  VerificationSuccess,
  VerifyCredentialOptions,
} from "./lib/verify-core";

/**
 * Verifies an entitlement VC-JWT against a trust list, with no network.
 *
 * @example
 * const r = await verifyCredential(jwt, trust, { now: new Date(), status: lookup, requireStatus: true });
 * if (!r.valid) show(r.reason); // e.g. "This card was cancelled."
 * else if (r.holderBinding === "required") askForWalletCode();
 */
export async function verifyCredential(
  jwt: string,
  trust: TrustList,
  options: VerifyCredentialOptions = {},
): Promise<VerificationResult> {
  try {
    const jws = decodeCompact(typeof jwt === "string" ? jwt.trim() : jwt);
    if (!jws) return fail("ERR_MALFORMED");
    return await verifyDecodedCredential(jws, trust, options, false);
  } catch (cause) {
    // Defensive: a broken trust list or status lookup must not crash the counter screen.
    return fail("ERR_MALFORMED", undefined, undefined, cause);
  }
}
