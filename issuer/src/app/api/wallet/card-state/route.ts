import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { CardStateBody, readCardState } from "@/server/wallet/read-card-state";

export const dynamic = "force-dynamic";

/**
 * POST /api/wallet/card-state { request: "<JWS signed by the holder key>" } -> { checkedAt, cards }.
 * Public: the holder's signature is the authorisation; only cards bound to that key are answered.
 */
export const POST = withApi(
  async (request) => {
    const body = await readJson(request, CardStateBody, 20_000);
    return Response.json(await readCardState(getServerContext(), body), { headers: { "cache-control": "no-store" } });
  },
  { cors: true },
);
export const OPTIONS = preflight;
