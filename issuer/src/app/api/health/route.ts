import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the start script. */
export const GET = withApi(async () => {
  await getServerContext().db.counter.count();
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
});
