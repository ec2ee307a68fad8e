import { publicJsonPost } from "@/server/api/public-post";
import { preflight } from "@/server/api/cors";
import { HandOverFeedRequest } from "@haki/redemption/hand-over-feed";
import { readHandOverFeed } from "@/server/verifier/read-hand-overs";

export const dynamic = "force-dynamic";

/**
 * POST /api/verifier/hand-overs { proof, cursor?, limit? } -> { handOvers, cursor?, more }: the
 * hand-overs other devices recorded for the programmes the device's service point serves, oldest
 * first from `cursor`, at most `limit` (default 200, at most 500) a page. `proof` is signed by the
 * device's enrolled key for this URL; a revoked device gets 403 ERR_DEVICE_REVOKED, an unknown one
 * 403 ERR_FORBIDDEN. Devices ask at each refresh (issue 12, relay).
 */
export const POST = publicJsonPost(HandOverFeedRequest, readHandOverFeed);
export const OPTIONS = preflight;
