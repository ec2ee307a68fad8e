/**
 * What the person sees on a card: decoded from the stored VC-JWT (validated against the
 * entitlement model) plus the last known status.
 */
import { EntitlementJwtPayload } from "@haki/credentials/model";
import { fromBase64Url } from "@haki/secure-store/crypto";
import type { KnownStatus, StoredCredential } from "./schemas";

export type CardState = "active" | "suspended" | "revoked" | "expired" | "not-yet-valid" | "used-up";

/**
 * Decodes (without verifying) the payload of a stored entitlement VC-JWT; `undefined` if it is not
 * one. Verification happens once, on receipt; the wallet does not re-trust what it decodes here.
 *
 * @example
 * const payload = decodeEntitlement(stored.jwt);
 */
export function decodeEntitlement(jwt: string): EntitlementJwtPayload | undefined {
  const part = jwt.split(".")[1];
  if (!part) return undefined;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(part)));
    const r = EntitlementJwtPayload.safeParse(json);
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The card's state at `now`: revoked beats suspended beats expired beats not yet valid beats used
 * up (the office said nothing is left after its hand-overs).
 *
 * @example
 * cardState(payload, stored.status, new Date(), stored.office) // "active"
 */
export function cardState(payload: EntitlementJwtPayload, status: KnownStatus | undefined, now: Date, office?: StoredCredential["office"]): CardState {
  if (status?.revoked) return "revoked";
  if (status?.suspended) return "suspended";
  const t = now.getTime() / 1000;
  if (t >= payload.exp) return "expired";
  if (t < payload.nbf) return "not-yet-valid";
  if (office && office.card.left <= 0) return "used-up";
  return "active";
}
