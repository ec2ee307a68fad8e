import { buildDidWebDocument } from "@haki/credentials/did";
import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** GET /.well-known/did.json: the issuer's did:web document (every key it has signed with). */
export const GET = withApi(async () => {
  const ctx = getServerContext();
  await ctx.keys.getSigningKey(); // first request on a fresh install creates the key
  const keys = await ctx.keys.listPublicKeys();
  const doc = buildDidWebDocument({ did: ctx.did, keys: keys.map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) });
  return Response.json(doc, {
    // Wallets on another origin read the issuer's keys from here when they receive a card.
    headers: { "content-type": "application/did+json", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
});
