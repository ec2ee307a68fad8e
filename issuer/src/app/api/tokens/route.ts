import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { createApiToken, CreateApiTokenInput } from "@/server/auth/api-tokens";

export const dynamic = "force-dynamic";

/** POST /api/tokens { name, scopes: ["issue" | "issue:any" | "verify"] } (admin session + CSRF) -> 201 { id, token } (shown once). */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  const { actor } = await requireSession(ctx, request);
  return Response.json(await createApiToken(ctx, await readJson(request, CreateApiTokenInput), actor), { status: 201, headers: { "cache-control": "no-store" } });
});
