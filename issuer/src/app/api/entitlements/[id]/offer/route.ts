import { z } from "zod";
import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { createOffer } from "@/server/delivery/create-offer";

export const dynamic = "force-dynamic";

const Body = z.object({ withPin: z.boolean().optional(), validDays: z.number().int().optional(), format: z.enum(["jwt_vc_json", "dc+sd-jwt"]).optional() });

/**
 * POST /api/entitlements/:id/offer { withPin?, validDays?, format? } (console session + CSRF): a
 * new OpenID4VCI offer of the entitlement as a JWT credential (the cycle's format, the default) or
 * an SD-JWT VC (`format: "dc+sd-jwt"`); answers { offerUri, link, txCode?, expiresAt, format }.
 * The PIN is shown once.
 */
export const POST = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const { id } = params;
  const body = await readJson(request, Body);
  const offer = await createOffer(ctx, { entitlementId: id, ...body }, actor);
  return Response.json(offer, { status: 201, headers: { "cache-control": "no-store" } });
});
