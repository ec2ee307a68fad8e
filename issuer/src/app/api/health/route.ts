import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { checkHealth } from "@/server/health/check-health";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the start script. */
export const GET = withApi(async () => {
  return Response.json(await checkHealth(getServerContext()), { headers: { "cache-control": "no-store" } });
});
