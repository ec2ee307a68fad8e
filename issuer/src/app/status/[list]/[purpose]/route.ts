import { z } from "zod";
import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { getStatusListCredential, STATUS_LIST_TTL_MS } from "@/server/status/status-lists";

export const dynamic = "force-dynamic";

const Params = z.object({ list: z.coerce.number().int().min(1).max(1_000_000), purpose: z.enum(["revocation", "suspension", "token"]) });

/**
 * GET /status/:list/revocation|suspension: the signed Bitstring Status List credential (VC-JWT);
 * GET /status/:list/token: the IETF Status List Token (`statuslist+jwt`, 2 bits per entry) of the
 * same pair, which SD-JWT VCs point at. All three are signed together from the same bits. Cacheable
 * for the lists' ttl; the ETag changes with every signature.
 */
export const GET = withApi<{ list: string; purpose: string }>(async (request, { params }) => {
  const { list, purpose } = Params.parse(await params);
  const { jwt, etag } = await getStatusListCredential(getServerContext(), list, purpose);
  const headers = {
    etag,
    "cache-control": `public, max-age=${STATUS_LIST_TTL_MS / 1000}`,
    "access-control-allow-origin": "*",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(jwt, { headers: { ...headers, "content-type": purpose === "token" ? "application/statuslist+jwt" : "application/vc+jwt" } });
});
