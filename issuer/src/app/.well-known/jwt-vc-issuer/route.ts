import { buildJwtVcIssuerMetadata } from "@haki/credentials/sd-jwt-metadata";
import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { publicBaseUrl } from "@/server/delivery/oid4vci";

export const dynamic = "force-dynamic";

/**
 * GET /.well-known/jwt-vc-issuer: the JWT VC Issuer Metadata of SD-JWT VC (the `iss` of the SD-JWT
 * VCs this issuer signs, and its keys by the `kid` in their header).
 */
export const GET = withApi(async () => {
  const ctx = getServerContext();
  await ctx.keys.getSigningKey(); // first request on a fresh install creates the key
  const keys = await ctx.keys.listPublicKeys();
  const doc = buildJwtVcIssuerMetadata({ issuer: publicBaseUrl(ctx), keys: keys.map((k) => ({ kid: k.kid, publicKeyJwk: k.publicJwk })) });
  return Response.json(doc, { headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
});
