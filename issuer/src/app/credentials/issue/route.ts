import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireApiToken } from "@/server/auth/api-tokens";
import { IssueRequest, issueCredentialApi } from "@/server/vc-api/issue-credential";

export const dynamic = "force-dynamic";

/**
 * POST /credentials/issue (W3C VC-API): { credential, options? } -> 201 { verifiableCredential } (an
 * EnvelopedVerifiableCredential). An entitlement needs the "issue" (or "issue:any") scope, any other
 * VC 2.0 credential "issue:any".
 */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  const caller = await requireApiToken(ctx, request, ["issue", "issue:any"]);
  const body = await readJson(request, IssueRequest);
  return Response.json(await issueCredentialApi(ctx, body, caller), { status: 201, headers: { "cache-control": "no-store" } });
});
