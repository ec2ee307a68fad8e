import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { EnrolmentRequest } from "@haki/redemption/setup";
import { enrolDevice } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/verifier/enrol { code, servicePoint, deviceKey, deviceLabel? } -> { deviceId, servicePoint, bundle }. */
export const POST = withApi(async (request) => {
  const body = await readJson(request, EnrolmentRequest);
  return Response.json(await enrolDevice(getServerContext(), body), { headers: { "cache-control": "no-store" } });
}, { cors: true });
export const OPTIONS = preflight;
