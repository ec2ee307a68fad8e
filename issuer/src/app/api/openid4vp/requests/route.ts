import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { enforceRateLimit } from "@/server/api/rate-limit";
import { OpenRelayBody, openRelayRequest, RELAY_RATE_LIMITS } from "@/server/openid4vp/relay";

export const dynamic = "force-dynamic";

/**
 * POST /api/openid4vp/requests { proof: "<JWS signed by an enrolled device key>" } ->
 * { requestId, transactionId, requestUri, responseUri, expiresAt }. The transaction id is the
 * device's secret for collecting the answer (the relay keeps only its hash).
 */
export const POST = withApi(
  async (request) => {
    const ctx = getServerContext();
    enforceRateLimit(ctx, "relay-open", request, RELAY_RATE_LIMITS.open);
    const opened = await openRelayRequest(ctx, await readJson(request, OpenRelayBody, 8_000));
    return Response.json(opened, { status: 201, headers: { "cache-control": "no-store" } });
  },
  { cors: true },
);
export const OPTIONS = preflight;
