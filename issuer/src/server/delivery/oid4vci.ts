/**
 * OpenID4VCI wiring: the issuer configuration, the dependencies the protocol handlers need, and
 * what happens when a wallet proves its key (the entitlement is signed for that holder).
 */
import type { IssuanceDeps } from "@haki/openid4vci/server";
import { allowInsecureUrls, type IssuerConfig } from "@haki/openid4vci/metadata";
import { signCredential } from "@haki/credentials/sign";
import type { ServerContext } from "../context";
import { appendAuditEvent } from "../audit/append-audit-event";
import { entitlementInput } from "../issuance/entitlement-input";
import { createPrismaOfferStore } from "./prisma-offer-store";

/** The OpenID4VCI issuer configuration from the issuer's own. */
export function issuerConfig(ctx: ServerContext): IssuerConfig {
  // Plain http only on the machine itself (a developer's laptop, a demo); anywhere else https.
  const url = new URL(ctx.env.HAKI_PUBLIC_URL);
  allowInsecureUrls(url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname));
  return {
    credentialIssuer: ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, ""),
    display: [{ name: ctx.env.HAKI_ISSUER_NAME, locale: "en" }],
    credentialDisplay: [
      { name: "Entitlement", locale: "en" },
      { name: "Droit", locale: "fr" },
      { name: "استحقاق", locale: "ar" },
      { name: "Stahiki", locale: "sw" },
    ],
  };
}

/**
 * Thrown when a wallet asks for a credential that was revoked or suspended after the offer was
 * made; the protocol layer answers with a server error code and the wallet shows it.
 */
export class EntitlementUnavailableError extends Error {
  readonly code = "ERR_ENTITLEMENT_UNAVAILABLE" as const;
}

/**
 * The handlers' dependencies for this issuer.
 *
 * @example
 * export const POST = (req: Request) => handleTokenRequest(req, issuanceDeps(getServerContext())).then(toResponse);
 */
export function issuanceDeps(ctx: ServerContext): IssuanceDeps {
  return {
    config: issuerConfig(ctx),
    store: createPrismaOfferStore(ctx.db),
    now: ctx.now,
    maxTxCodeAttempts: 5,
    async issueCredential({ offer, holderDid }) {
      const e = await ctx.db.entitlement.findUniqueOrThrow({
        where: { id: offer.id },
        include: { beneficiary: true, cycle: { include: { programme: true } } },
      });
      if (e.status !== "issued") throw new EntitlementUnavailableError(`This entitlement is ${e.status}.`);
      const key = await ctx.keys.getSigningKey();
      const jwt = await signCredential(
        entitlementInput(
          { entitlement: e, cycle: e.cycle, programme: e.cycle.programme, beneficiary: e.beneficiary },
          { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL, holder: holderDid },
        ),
        key,
      );
      await ctx.db.$transaction(async (tx) => {
        const at = ctx.now();
        await tx.offer.update({ where: { id: offer.id }, data: { holderDid, credentialIssuedAt: at } });
        await tx.entitlement.update({ where: { id: e.id }, data: { holderDid } });
        await appendAuditEvent(tx, at, { actorId: null, action: "credential.deliver", subject: e.id, details: { channel: "openid4vci" } });
      });
      return jwt;
    },
  };
}
