import { withConsoleApi } from "@/server/auth/console-route";
import { currentLocale } from "@/server/web/page-session";
import { exportFrozenList } from "@/server/export/console-exports";
import { exportResponse } from "@/server/export/table-export";

export const dynamic = "force-dynamic";

/** GET /api/cycles/:id/frozen-list: the list frozen for approval, as CSV (console session; audited). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const { table, fileName } = await exportFrozenList(ctx, params.id, actor, await currentLocale());
  return exportResponse(table, "csv", fileName);
});
