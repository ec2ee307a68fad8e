import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { ChangeStatusInput, changeStatus } from "@/server/status/change-status";

export const dynamic = "force-dynamic";

/**
 * POST /api/entitlements/status { action: revoke|suspend|reinstate, entitlementId | beneficiaryRef, reason }
 * (console session + CSRF header).
 */
export const POST = withConsoleApi(async (request, { ctx, actor }) => {
  const body = await readJson(request, ChangeStatusInput);
  return Response.json(await changeStatus(ctx, body, actor));
});
