import type { ServerContext } from "@/server/context";

/**
 * Liveness with database reachability (one small read): throws when the database cannot answer.
 *
 * @example
 * await checkHealth(ctx); // { status: "ok" }
 */
export async function checkHealth(ctx: ServerContext): Promise<{ status: "ok" }> {
  await ctx.db.counter.count();
  return { status: "ok" };
}
