import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { createSetupCode } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/service-points/:id/setup-code (console session + CSRF) -> { setupCode, expiresAt }, shown once. */
export const POST = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  const { actor } = await requireSession(ctx, request);
  const { id } = await params;
  return Response.json(await createSetupCode(ctx, id, actor), { status: 201, headers: { "cache-control": "no-store" } });
});
