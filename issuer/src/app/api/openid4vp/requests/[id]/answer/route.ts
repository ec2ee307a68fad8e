import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { enforceRateLimit } from "@/server/api/rate-limit";
import { CollectAnswerBody, RELAY_RATE_LIMITS, relayFor } from "@/server/openid4vp/relay";

export const dynamic = "force-dynamic";

/**
 * POST /api/openid4vp/requests/:id/answer { transactionId } -> 204 while waiting, then once
 * 200 { answer: { kind: "jwe", jwe } | { kind: "error", error, state? } } (the record is deleted).
 * POST, not GET: the transaction id must not land in access logs.
 */
export const POST = withApi<{ id: string }>(
  async (request, { params }) => {
    const ctx = getServerContext();
    enforceRateLimit(ctx, "relay-collect", request, RELAY_RATE_LIMITS.collect);
    const body = await readJson(request, CollectAnswerBody, 1_000);
    const got = await relayFor(ctx).collectAnswer((await params).id, body.transactionId);
    if (got.status === "pending") return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
    return Response.json({ answer: got.answer }, { headers: { "cache-control": "no-store" } });
  },
  { cors: true },
);
export const OPTIONS = preflight;
