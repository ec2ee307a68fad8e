import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { ApiError } from "@/server/api/errors";

export const dynamic = "force-dynamic";

/** GET /api/jobs/:id: progress and throughput of an issuance job (console session). */
export const GET = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  await requireSession(ctx, request);
  const { id } = await params;
  const job = await ctx.db.issuanceJob.findUnique({ where: { id } });
  if (!job) throw new ApiError("ERR_NOT_FOUND", "No such job.");
  const { state, done, total, throughput, error, startedAt, finishedAt, cycleId } = job;
  return Response.json({ id, cycleId, state, done, total, throughput, error, startedAt, finishedAt }, { headers: { "cache-control": "no-store" } });
});
