import { withConsoleApi } from "@/server/auth/console-route";
import { currentLocale } from "@/server/web/page-session";
import { exportAuditLog } from "@/server/export/console-exports";
import { exportResponse } from "@/server/export/table-export";

export const dynamic = "force-dynamic";

/** GET /api/audit/export?actor=&action=&subject=&from=&to=: the filtered audit log as CSV (auditor or admin session; audited). */
export const GET = withConsoleApi(async (request, { ctx, actor }) => {
  const { table, fileName } = await exportAuditLog(ctx, Object.fromEntries(new URL(request.url).searchParams), actor, await currentLocale());
  return exportResponse(table, "csv", fileName);
});
