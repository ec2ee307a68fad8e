import { ApiError } from "@/server/api/errors";
import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { enforceRateLimit } from "@/server/api/rate-limit";
import { RELAY_MAX_BODY_BYTES, RELAY_RATE_LIMITS, relayFor } from "@/server/openid4vp/relay";
import { Openid4vpError } from "@haki/openid4vp/errors";
import { readCappedText } from "@haki/capped-body";

export const dynamic = "force-dynamic";

/**
 * POST /api/openid4vp/responses/:id (the wallet's response_uri), `application/x-www-form-urlencoded`
 * `response=<JWE>` or `error=<code>&state=...` -> 200 {}. Anything in the clear is refused (400
 * ERR_RELAY_NOT_ENCRYPTED) and nothing of it kept.
 */
export const POST = withApi<{ id: string }>(
  async (request, { params }) => {
    const ctx = getServerContext();
    enforceRateLimit(ctx, "relay-answer", request, RELAY_RATE_LIMITS.answer);
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")) {
      throw new ApiError("ERR_UNSUPPORTED_MEDIA_TYPE", "Send the answer as application/x-www-form-urlencoded.");
    }
    // Read no further than the limit: a chunked body has no Content-Length to refuse it by.
    const body = await readCappedText(request, RELAY_MAX_BODY_BYTES, () => new Openid4vpError("ERR_RELAY_TOO_LARGE"));
    await relayFor(ctx).acceptAnswer((await params).id, body);
    return Response.json({}, { headers: { "cache-control": "no-store" } });
  },
  { cors: true },
);
export const OPTIONS = preflight;
