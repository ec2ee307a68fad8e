import { z } from "zod";
import { registerOffer } from "@haki/openid4vci/server";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { createPrismaOfferStore } from "./prisma-offer-store";
import { issuerConfig } from "./oid4vci";

export const CreateOfferInput = z.object({
  entitlementId: z.string().uuid(),
  /** Ask for a 6-digit card code (OpenID4VCI transaction code) given separately (recommended when the QR is printed or sent). */
  withPin: z.boolean().default(true),
  /** How long the offer stays usable. */
  validDays: z.number().int().min(1).max(90).default(14),
});

/**
 * Makes an OpenID4VCI offer for an issued entitlement, replacing any earlier offer (a lost phone):
 * the QR / link to give the beneficiary, and the card code to give separately.
 *
 * @example
 * const { offerUri, link, txCode, expiresAt } = await createOffer(ctx, { entitlementId }, officer);
 */
export async function createOffer(ctx: ServerContext, input: z.input<typeof CreateOfferInput>, actor: Actor) {
  requireRole(actor, "officer");
  const i = CreateOfferInput.parse(input);
  const e = await ctx.db.entitlement.findUnique({ where: { id: i.entitlementId } });
  if (!e) throw new ApiError("ERR_NOT_FOUND", "No such entitlement.");
  if (e.status !== "issued") throw new ApiError("ERR_INVALID_STATE", `A ${e.status} entitlement cannot be offered.`);
  await ctx.db.offer.deleteMany({ where: { entitlementId: e.id } });
  const expiresAt = new Date(ctx.now().getTime() + i.validDays * 86_400_000);
  const offer = await registerOffer({
    config: issuerConfig(ctx),
    store: createPrismaOfferStore(ctx.db),
    id: e.id,
    expiresAt,
    ...(i.withPin ? { txCodeLength: 6, txCodeDescription: "The 6-digit card code on your letter" } : {}),
    ...(ctx.env.HAKI_WALLET_URL ? { walletUrl: ctx.env.HAKI_WALLET_URL } : {}),
  });
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: actor.id, action: "offer.create", subject: e.id, details: { withPin: i.withPin, expiresAt: expiresAt.toISOString() } }),
  );
  return { offerUri: offer.offerUri, link: offer.link, txCode: offer.txCode, expiresAt };
}
