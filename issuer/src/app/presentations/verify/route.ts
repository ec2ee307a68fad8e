import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireApiToken } from "@/server/auth/api-tokens";
import { VerifyPresentationRequest, verifyPresentationApi } from "@/server/vc-api/verify-presentation";

export const dynamic = "force-dynamic";

/**
 * POST /presentations/verify (W3C VC-API, Bearer token with the "verify" scope):
 * { verifiablePresentation: "<vp+jwt>" | EnvelopedVerifiablePresentation, options?: { challenge?, domain? } }
 * -> 200 { verified, checks, warnings, errors }.
 */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  await requireApiToken(ctx, request, "verify");
  const body = await readJson(request, VerifyPresentationRequest, 300_000);
  return Response.json(await verifyPresentationApi(ctx, body), { headers: { "cache-control": "no-store" } });
});
