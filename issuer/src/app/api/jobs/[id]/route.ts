import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { readIssuanceJob } from "@/server/issuance/read-issuance-job";

export const dynamic = "force-dynamic";

/** GET /api/jobs/:id: progress and throughput of an issuance job (console session). */
export const GET = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  await requireSession(ctx, request);
  const { id } = await params;
  return Response.json(await readIssuanceJob(ctx, id), { headers: { "cache-control": "no-store" } });
});
