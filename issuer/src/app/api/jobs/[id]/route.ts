import { withConsoleApi } from "@/server/auth/console-route";
import { readIssuanceJob } from "@/server/issuance/read-issuance-job";

export const dynamic = "force-dynamic";

/** GET /api/jobs/:id: progress and throughput of an issuance job (console session). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, params }) => {
  const { id } = params;
  return Response.json(await readIssuanceJob(ctx, id), { headers: { "cache-control": "no-store" } });
});
