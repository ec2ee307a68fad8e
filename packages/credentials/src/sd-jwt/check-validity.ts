/** When and whether an SD-JWT VC holds: its validity period and its Token Status List entry. */
import { fail, type StatusCheck } from "../lib/verify-core";
import type { SdJwtVcClaims } from "./read-claims";
import type { SdJwtVerificationFailure, VerifySdJwtVcOptions } from "./verify-types";

const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

/**
 * Refuses a card before `nbf` or from `exp` on (with `tolerance` seconds of clock drift).
 *
 * @example
 * const late = checkValidityPeriod(claims, nowSeconds, 60); // undefined, or ERR_EXPIRED / ERR_NOT_YET_VALID
 */
export function checkValidityPeriod(c: Pick<SdJwtVcClaims, "nbf" | "exp">, now: number, tolerance: number): SdJwtVerificationFailure | undefined {
  if (now + tolerance < c.nbf) return fail("ERR_NOT_YET_VALID", `This card can be used from ${day(c.nbf)}.`, { validFrom: day(c.nbf) });
  if (now - tolerance >= c.exp) return fail("ERR_EXPIRED", `This card expired on ${day(c.exp)}.`, { validUntil: day(c.exp) });
  return undefined;
}

/**
 * Reads the card's status through `options.status`: revoked and suspended refused; "ok", "unknown"
 * (no fresh list) or "unchecked" otherwise, and ERR_STATUS_UNAVAILABLE when `requireStatus` wants "ok".
 *
 * @example
 * const status = checkTokenStatus(claims.status, { status: lookup, requireStatus: true });
 */
export function checkTokenStatus(reference: SdJwtVcClaims["status"], options: Pick<VerifySdJwtVcOptions, "status" | "requireStatus">): StatusCheck | SdJwtVerificationFailure {
  let status: StatusCheck = "unchecked";
  if (reference && options.status) {
    let value: number | undefined;
    try {
      value = options.status(reference);
    } catch {
      value = undefined;
    }
    if (value === 1) return fail("ERR_REVOKED");
    if (value === 2) return fail("ERR_SUSPENDED");
    status = value === 0 ? "ok" : "unknown";
  }
  if (options.requireStatus && status !== "ok") return fail("ERR_STATUS_UNAVAILABLE", undefined, { list: reference?.status_list.uri ?? "" });
  return status;
}
