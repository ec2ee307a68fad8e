import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { buildTrustBundle } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** GET /api/verifier/trust-bundle -> { bundle: "<JWS signed by the issuer>" }. */
export const GET = withApi(async () => Response.json({ bundle: await buildTrustBundle(getServerContext()) }, { headers: { "cache-control": "no-store" } }), { cors: true });
export const OPTIONS = preflight;
