import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { preflight, withCors } from "@/server/api/cors";
import { buildTrustBundle } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/** GET /api/verifier/trust-bundle -> { bundle: "<JWS signed by the issuer>" }. */
const handler = withApi(async () => Response.json({ bundle: await buildTrustBundle(getServerContext()) }, { headers: { "cache-control": "no-store" } }));
export const GET = async (request: Request, context: { params: Promise<Record<string, string>> }) => withCors(await handler(request, context));
export const OPTIONS = preflight;
