import { withConsoleApi } from "@/server/auth/console-route";
import { createSetupCode } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/service-points/:id/setup-code (console session + CSRF) -> { setupCode, expiresAt }, shown once. */
export const POST = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const { id } = params;
  return Response.json(await createSetupCode(ctx, id, actor), { status: 201, headers: { "cache-control": "no-store" } });
});
