import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { readTrustBundle } from "@/server/verifier/service-points";

export const dynamic = "force-dynamic";

/**
 * GET /api/verifier/trust-bundle -> { bundle: "<JWS signed by the issuer>" }. Signed once per
 * change; `ETag` per signed bundle, 304 on a matching `If-None-Match`; `no-cache` so a cache keeps
 * it but asks each time (a revoked device or distrusted key must reach devices at their next refresh).
 */
export const GET = withApi(
  async (request) => {
    const { jws, etag } = await readTrustBundle(getServerContext());
    const headers = { etag, "cache-control": "no-cache" };
    const sent = request.headers.get("if-none-match");
    if (sent && sent.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
    return Response.json({ bundle: jws }, { headers });
  },
  { cors: true },
);
export const OPTIONS = preflight;
