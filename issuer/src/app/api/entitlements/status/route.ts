import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { ChangeStatusInput, changeStatus } from "@/server/status/change-status";

export const dynamic = "force-dynamic";

/**
 * POST /api/entitlements/status { action: revoke|suspend|reinstate, entitlementId | beneficiaryRef, reason }
 * (console session + CSRF header).
 */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  const { actor } = await requireSession(ctx, request);
  const body = await readJson(request, ChangeStatusInput);
  return Response.json(await changeStatus(ctx, body, actor));
});
