import { withConsoleApi } from "@/server/auth/console-route";
import { streamErrorReport } from "@/server/registry/read-import";

export const dynamic = "force-dynamic";

/** GET /api/imports/:id/errors: the per-row error report as a CSV download (console session). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, params }) => {
  const { id } = params;
  const body = await streamErrorReport(ctx, id);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${id}-errors.csv"`,
      "cache-control": "no-store",
    },
  });
});
