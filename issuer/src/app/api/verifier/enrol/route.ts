import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight, withCors } from "@/server/api/cors";
import { enrolDevice } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/verifier/enrol { code, servicePoint, deviceKey, deviceLabel? } -> { deviceId, servicePoint, bundle }. */
const handler = withApi(async (request) => {
  const body = await readJson(request, { parse: (v: unknown) => v });
  return Response.json(await enrolDevice(getServerContext(), body), { headers: { "cache-control": "no-store" } });
});
export const POST = async (request: Request, context: { params: Promise<Record<string, string>> }) => withCors(await handler(request, context));
export const OPTIONS = preflight;
