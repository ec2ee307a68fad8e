import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { enforceRateLimit } from "@/server/api/rate-limit";
import { PublishRequestBody, RELAY_MAX_BODY_BYTES, RELAY_RATE_LIMITS, relayFor } from "@/server/openid4vp/relay";

export const dynamic = "force-dynamic";

/** GET /api/openid4vp/requests/:id -> the signed request object (the wallet's request_uri). */
export const GET = withApi<{ id: string }>(
  async (request, { params }) => {
    const ctx = getServerContext();
    enforceRateLimit(ctx, "relay-fetch", request, RELAY_RATE_LIMITS.fetch);
    const jwt = await relayFor(ctx).getRequestObject((await params).id);
    return new Response(jwt, { headers: { "content-type": "application/oauth-authz-req+jwt", "cache-control": "no-store" } });
  },
  { cors: true },
);

/** POST /api/openid4vp/requests/:id { transactionId, requestObject, encryptionKid? } -> 204: the device publishes its signed request. */
export const POST = withApi<{ id: string }>(
  async (request, { params }) => {
    const ctx = getServerContext();
    enforceRateLimit(ctx, "relay-open", request, RELAY_RATE_LIMITS.open);
    const body = await readJson(request, PublishRequestBody, RELAY_MAX_BODY_BYTES + 1_000);
    await relayFor(ctx).publishRequestObject((await params).id, body.transactionId, body.requestObject, body.encryptionKid);
    return new Response(null, { status: 204 });
  },
  { cors: true },
);
export const OPTIONS = preflight;
