import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { streamErrorReport } from "@/server/registry/read-import";

export const dynamic = "force-dynamic";

/** GET /api/imports/:id/errors: the per-row error report as a CSV download (console session). */
export const GET = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  await requireSession(ctx, request);
  const { id } = await params;
  const body = await streamErrorReport(ctx, id);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${id}-errors.csv"`,
      "cache-control": "no-store",
    },
  });
});
