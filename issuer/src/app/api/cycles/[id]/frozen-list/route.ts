import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { currentLocale } from "@/server/web/page-session";
import { exportFrozenList } from "@/server/export/console-exports";
import { exportResponse } from "@/server/export/table-export";

export const dynamic = "force-dynamic";

/** GET /api/cycles/:id/frozen-list: the list frozen for approval, as CSV (console session; audited). */
export const GET = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  const { actor } = await requireSession(ctx, request);
  const { table, fileName } = await exportFrozenList(ctx, (await params).id, actor, await currentLocale());
  return exportResponse(table, "csv", fileName);
});
