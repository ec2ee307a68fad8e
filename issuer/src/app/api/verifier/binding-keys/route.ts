import { publicJsonPost } from "@/server/api/public-post";
import { preflight } from "@/server/api/cors";
import { BindingKeysRequest } from "@haki/redemption/setup";
import { readDeviceBindingKeys } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/**
 * POST /api/verifier/binding-keys { proof } -> { bindingKeys }: the binding keys of the bound
 * programmes the device's service point serves, for an enrolled device that signed `proof` (403
 * ERR_FORBIDDEN otherwise). Devices ask at each refresh.
 */
export const POST = publicJsonPost(BindingKeysRequest, readDeviceBindingKeys);
export const OPTIONS = preflight;
