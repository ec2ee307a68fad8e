import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { readImportProgress } from "@/server/registry/read-import";

export const dynamic = "force-dynamic";

/** GET /api/imports/:id: progress of an import run (console session). */
export const GET = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  await requireSession(ctx, request);
  const { id } = await params;
  return Response.json(await readImportProgress(ctx, id), { headers: { "cache-control": "no-store" } });
});
