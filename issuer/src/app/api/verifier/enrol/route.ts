import { publicJsonPost } from "@/server/api/public-post";
import { preflight } from "@/server/api/cors";
import { EnrolmentRequest } from "@haki/redemption/setup";
import { enrolDevice } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** POST /api/verifier/enrol { code, servicePoint, deviceKey, deviceLabel? } -> { deviceId, servicePoint, bundle }. */
export const POST = publicJsonPost(EnrolmentRequest, enrolDevice);
export const OPTIONS = preflight;
