import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireApiToken } from "@/server/auth/api-tokens";
import { IssueRequest, issueCredentialApi } from "@/server/vc-api/issue-credential";

export const dynamic = "force-dynamic";

/** POST /credentials/issue (W3C VC-API, Bearer token with the "issue" scope) -> 201 { verifiableCredential }. */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  const caller = await requireApiToken(ctx, request, "issue");
  const body = await readJson(request, IssueRequest);
  return Response.json(await issueCredentialApi(ctx, body, caller), { status: 201, headers: { "cache-control": "no-store" } });
});
