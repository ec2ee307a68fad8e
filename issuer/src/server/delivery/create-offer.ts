import { z } from "zod";
import { registerOffer } from "@haki/openid4vci/server";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { createPrismaOfferStore } from "./prisma-offer-store";
import { issuerConfig } from "./oid4vci";
import { resolveIssuerConfig, type IssuerConfig } from "@haki/openid4vci/metadata";

/** The configuration id of a format in this issuer's metadata (undefined: not offered). */
function credentialConfigurationIdFor(config: IssuerConfig, format: "jwt_vc_json" | "dc+sd-jwt"): string | undefined {
  const resolved = resolveIssuerConfig(config);
  return format === "dc+sd-jwt" ? resolved.sdJwtVc?.configurationId : resolved.credentialConfigurationId;
}

export const CreateOfferInput = z.object({
  entitlementId: z.string().uuid(),
  /** Ask for a 6-digit card code (OpenID4VCI transaction code) given separately (recommended when the QR is printed or sent). */
  withPin: z.boolean().default(true),
  /** How long the offer stays usable. */
  validDays: z.number().int().min(1).max(90).default(14),
  /**
   * Which credential the wallet receives: the entitlement as a JWT (`jwt_vc_json`, in the cycle's
   * format: VC 2.0 `vc+jwt` or VC 1.1) or as an SD-JWT VC (`dc+sd-jwt`: the person shows only what
   * a counter needs).
   */
  format: z.enum(["jwt_vc_json", "dc+sd-jwt"]).default("jwt_vc_json"),
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
  const config = issuerConfig(ctx);
  const credentialConfigurationId = credentialConfigurationIdFor(config, i.format);
  if (!credentialConfigurationId) throw new ApiError("ERR_BAD_REQUEST", "This issuer's DID is not the did:web of its public URL, so it cannot sign SD-JWT VCs.");
  const e = await ctx.db.entitlement.findUnique({ where: { id: i.entitlementId } });
  if (!e) throw new ApiError("ERR_NOT_FOUND", "No such entitlement.");
  if (e.status !== "issued") throw new ApiError("ERR_INVALID_STATE", `A ${e.status} entitlement cannot be offered.`);
  await ctx.db.offer.deleteMany({ where: { entitlementId: e.id } });
  const expiresAt = new Date(ctx.now().getTime() + i.validDays * 86_400_000);
  const offer = await registerOffer({
    config,
    store: createPrismaOfferStore(ctx.db),
    id: e.id,
    expiresAt,
    credentialConfigurationId,
    ...(i.withPin ? { txCodeLength: 6, txCodeDescription: "The 6-digit card code on your letter" } : {}),
    ...(ctx.env.HAKI_WALLET_URL ? { walletUrl: ctx.env.HAKI_WALLET_URL } : {}),
  });
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: actor.id, action: "offer.create", subject: e.id, details: { withPin: i.withPin, expiresAt: expiresAt.toISOString(), format: i.format } }),
  );
  return { offerUri: offer.offerUri, link: offer.link, txCode: offer.txCode, expiresAt, format: i.format };
}
