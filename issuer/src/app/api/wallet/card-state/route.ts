import { publicJsonPost } from "@/server/api/public-post";
import { preflight } from "@/server/api/cors";
import { CardStateBody, readCardState } from "@/server/wallet/read-card-state";

export const dynamic = "force-dynamic";

/**
 * POST /api/wallet/card-state { request: "<JWS signed by the holder key>" } -> { checkedAt, cards }.
 * Public: the holder's signature is the authorisation; only cards bound to that key are answered.
 */
export const POST = publicJsonPost(CardStateBody, readCardState, 20_000);
export const OPTIONS = preflight;
