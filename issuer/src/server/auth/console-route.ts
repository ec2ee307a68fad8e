/**
 * The route wrapper for what the console's own pages call: `withApi` plus the signed-in session
 * (and the CSRF header on changes), so a console route starts at its own work.
 */
import { withApi, type RouteContext } from "@/server/api/route";
import { getServerContext, type ServerContext } from "@/server/context";
import type { Actor } from "./roles";
import { requireSession } from "./sessions";

/** What a console route handler gets besides the request. */
export interface ConsoleCall<P extends Record<string, string>> {
  ctx: ServerContext;
  /** The signed-in console user. */
  actor: Actor;
  /** The path parameters (`{ id }` for `.../[id]/route.ts`). */
  params: P;
}

/**
 * Wraps a console route: the session is checked (401/403 as coded errors) before the handler runs.
 *
 * @example
 * export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, params }) => Response.json(await readJob(ctx, params.id)));
 */
export function withConsoleApi<P extends Record<string, string> = Record<string, string>>(
  handler: (request: Request, call: ConsoleCall<P>) => Promise<Response>,
) {
  return withApi<P>(async (request, context: RouteContext<P>) => {
    const ctx = getServerContext();
    const { actor } = await requireSession(ctx, request);
    return handler(request, { ctx, actor, params: await context.params });
  });
}
