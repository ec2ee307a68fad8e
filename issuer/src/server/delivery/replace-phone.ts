/**
 * A beneficiary lost their phone (or changed it): one action cancels the credential the old phone
 * holds and makes a new offer for the new phone. The counter-side rule "one bearer form active per
 * entitlement" builds on this function: it is the one place a phone is replaced.
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { createOffer } from "./create-offer";
import { supersedeCredential, type StatusPosition } from "./supersede-credential";

export const ReplacePhoneInput = z.object({
  entitlementId: z.string().uuid(),
  reason: z.string().trim().min(3, "give a reason").max(500),
  /** How long the new offer stays usable. */
  validDays: z.number().int().min(1).max(90).default(14),
});

export interface ReplacePhoneResult {
  offerUri: string;
  link: string;
  /** The PIN to give separately (shown once). */
  txCode?: string;
  expiresAt: Date;
  /** The status position the old phone's credential had (now revoked) and the new one. */
  superseded: { from: StatusPosition; to: StatusPosition };
}

/**
 * Revokes the old phone's credential (by superseding the entitlement's status position) and makes
 * a new offer with a PIN. Both steps are audited (`entitlement.replace`, `offer.create`).
 *
 * @example
 * const { offerUri, txCode } = await replacePhone(ctx, { entitlementId, reason: "Phone stolen" }, officer);
 */
export async function replacePhone(ctx: ServerContext, input: z.input<typeof ReplacePhoneInput>, actor: Actor): Promise<ReplacePhoneResult> {
  requireRole(actor, "officer");
  const i = ReplacePhoneInput.parse(input);
  const superseded = await supersedeCredential(ctx, { entitlementId: i.entitlementId, lost: "phone", reason: i.reason }, actor);
  const offer = await createOffer(ctx, { entitlementId: i.entitlementId, withPin: true, validDays: i.validDays }, actor);
  return { ...offer, superseded: { from: superseded.from, to: superseded.to } };
}
