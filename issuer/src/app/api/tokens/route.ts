import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { createApiToken, CreateApiTokenInput } from "@/server/auth/api-tokens";

export const dynamic = "force-dynamic";

/** POST /api/tokens { name, scopes: ["issue" | "issue:any" | "verify"] } (admin session + CSRF) -> 201 { id, token } (shown once). */
export const POST = withConsoleApi(async (request, { ctx, actor }) => {
  return Response.json(await createApiToken(ctx, await readJson(request, CreateApiTokenInput), actor), { status: 201, headers: { "cache-control": "no-store" } });
});
