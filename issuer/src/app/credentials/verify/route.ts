import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireApiToken } from "@/server/auth/api-tokens";
import { VerifyRequest, verifyCredentialApi } from "@/server/vc-api/verify-credential";

export const dynamic = "force-dynamic";

/**
 * POST /credentials/verify (W3C VC-API, Bearer token with the "verify" scope):
 * { verifiableCredential: "<vc+jwt or VC-JWT>" | EnvelopedVerifiableCredential, options? }
 * -> 200 { verified, checks, warnings, errors }.
 */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  await requireApiToken(ctx, request, "verify");
  const body = await readJson(request, VerifyRequest);
  return Response.json(await verifyCredentialApi(ctx, body), { headers: { "cache-control": "no-store" } });
});
