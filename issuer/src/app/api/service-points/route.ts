import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { saveServicePoint, SaveServicePointInput } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/service-points { id, name, area?, programmes: [code] } (console session + CSRF). */
export const POST = withApi(async (request) => {
  const ctx = getServerContext();
  const { actor } = await requireSession(ctx, request);
  return Response.json(await saveServicePoint(ctx, await readJson(request, SaveServicePointInput), actor), { status: 201 });
});
