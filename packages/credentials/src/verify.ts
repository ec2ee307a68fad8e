/**
 * Verifying an entitlement credential offline: signature against the trust list, type, schema,
 * validity period, status (through a lookup over cached status lists) and holder binding.
 *
 * Never throws for bad input; every failure is `{ valid: false, code, reason, error }`.
 */
import { decodeCompact } from "./lib/jws";
import { credentialFormatOf, fail, neverThrows, parseEntitlement, verifyDecodedCredential, type Parsed, type VerificationResult, type VerifyCredentialOptions } from "./lib/verify-core";
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
  return neverThrows(async () => {
    const jws = decodeCompact(typeof jwt === "string" ? jwt.trim() : jwt);
    if (!jws) return fail("ERR_MALFORMED");
    return verifyDecodedCredential(jws, trust, options, false);
  });
}

/**
 * Reads an entitlement credential of either JWT format WITHOUT checking its signature (a wallet
 * showing its own stored cards): its format, the VC 1.1 claims view (for a `vc+jwt` derived from
 * the credential, as `verifyCredential` reports it) and, for a `vc+jwt`, the credential itself.
 * Undefined when it is not a well-formed entitlement credential.
 *
 * @example
 * const card = readEntitlementCredential(stored.jwt);
 * if (card) show(card.payload.vc.credentialSubject, new Date(card.payload.exp * 1000));
 */
export function readEntitlementCredential(jwt: string): Parsed | undefined {
  const jws = decodeCompact(typeof jwt === "string" ? jwt.trim() : jwt);
  const format = jws ? credentialFormatOf(jws) : undefined;
  if (!jws || !format) return undefined;
  const parsed = parseEntitlement(jws, format);
  return "code" in parsed ? undefined : parsed;
}
