/**
 * "At most one bearer form per entitlement" at the moment a phone collects it (OpenID4VCI): under
 * the programme's `bearerForms: "one"` (the default) the entitlement moves to a fresh status
 * position before the phone's credentials are signed, and the old position is revoked, so the paper
 * card (and a phone that collected an earlier offer) is refused everywhere: at once by online
 * checks, by offline service points at their next list refresh. Every credential of one request
 * (a batch under several holder keys, either format) is signed at the one new position: together
 * they are one bearer form, the phone. Under "both" nothing moves: paper and phone stay valid.
 */
import type { ServerContext } from "@/server/context";
import { forgetStatusListCredentials } from "@/server/status/status-lists";
import { allocateStatusPosition, moveStatusPosition, type StatusPosition } from "./status-position";
import { EntitlementUnavailableError } from "./sign-entitlement";

/** The programme's choice: one bearer form valid at a time (the default), or paper and phone both. */
export type BearerForms = "one" | "both";

/** Where a phone delivery moved the entitlement from and to (null: the programme keeps both forms). */
export type PhoneClaim = { from: StatusPosition; to: StatusPosition } | null;

/**
 * Makes the phone the entitlement's one bearer form, unless its programme keeps both: a fresh
 * status position for the phone's credentials, the old one revoked, `bearerForm` "phone". Call once
 * per credential request, before signing; sign every credential of the request at `to`.
 *
 * @example
 * const claim = await claimPhoneForm(ctx, entitlementId);
 * const vc = await signers.jwt(entitlementId, holderDid, { position: claim?.to });
 */
export async function claimPhoneForm(ctx: ServerContext, entitlementId: string): Promise<PhoneClaim> {
  const e = await ctx.db.entitlement.findUnique({
    where: { id: entitlementId },
    select: { id: true, status: true, statusList: true, statusIndex: true, cycle: { select: { programme: { select: { bearerForms: true } } } } },
  });
  if (!e) throw new EntitlementUnavailableError("This entitlement no longer exists.");
  if (e.status !== "issued") throw new EntitlementUnavailableError(`This entitlement is ${e.status}.`);
  if ((e.cycle.programme.bearerForms as BearerForms) === "both") return null;
  const from = { list: e.statusList, index: e.statusIndex };
  const to = await ctx.db.$transaction(async (tx) => {
    const next = await allocateStatusPosition(tx);
    await moveStatusPosition(tx, e.id, from, next, { bearerForm: "phone" });
    return next;
  });
  forgetStatusListCredentials(ctx);
  return { from, to };
}
