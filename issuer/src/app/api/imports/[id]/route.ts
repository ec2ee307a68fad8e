import { withConsoleApi } from "@/server/auth/console-route";
import { readImportProgress } from "@/server/registry/read-import";

export const dynamic = "force-dynamic";

/** GET /api/imports/:id: progress of an import run (console session). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, params }) => {
  const { id } = params;
  return Response.json(await readImportProgress(ctx, id), { headers: { "cache-control": "no-store" } });
});
