import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { saveServicePoint, SaveServicePointInput } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/service-points { id, name, area?, programmes: [code] } (console session + CSRF). */
export const POST = withConsoleApi(async (request, { ctx, actor }) => {
  return Response.json(await saveServicePoint(ctx, await readJson(request, SaveServicePointInput), actor), { status: 201 });
});
