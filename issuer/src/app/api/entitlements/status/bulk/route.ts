import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { BulkChangeStatusInput, bulkChangeStatus } from "@/server/status/bulk-change-status";

export const dynamic = "force-dynamic";

/**
 * POST /api/entitlements/status/bulk { action: revoke|suspend|reinstate, entitlementIds | beneficiaryRefs, reason }
 * (console session + CSRF header): a batch such as a day of civil-registry death notifications.
 * Answers { changed, skipped, lists }; unknown ids or references: 404 ERR_NOT_FOUND, nothing changed.
 */
export const POST = withConsoleApi(async (request, { ctx, actor }) => {
  const body = await readJson(request, BulkChangeStatusInput);
  return Response.json(await bulkChangeStatus(ctx, body, actor));
});
