/**
 * The route wrapper of the anonymous OpenID4VCI endpoints: the per-address limit first (a coded
 * 429 in the OAuth shape with `Retry-After`), then the handler.
 */
import { IssuanceError } from "@haki/openid4vci/errors";
import { errorResponse, handlePreflightRequest, handleUnknownPath, toResponse } from "@haki/openid4vci/server";
import { getServerContext, type ServerContext } from "@/server/context";
import { withApi, type RouteContext } from "@/server/api/route";
import { clientAddress, createRateLimiter, type RateLimiter } from "@/server/api/rate-limit";
import { deliverySql } from "./delivery-sql";

export type Oid4vciEndpoint = "token" | "nonce" | "credential" | "notification";

const limiters = new WeakMap<ServerContext, RateLimiter | null>();

/** This context's limiter (null when HAKI_OID4VCI_RATE_LIMIT is 0). */
export function oid4vciRateLimiter(ctx: ServerContext): RateLimiter | null {
  let limiter = limiters.get(ctx);
  if (limiter === undefined) {
    const limit = ctx.env.HAKI_OID4VCI_RATE_LIMIT;
    limiter = limit > 0 ? createRateLimiter(deliverySql(ctx), { limit, windowMs: 60_000, now: () => ctx.now() }) : null;
    limiters.set(ctx, limiter);
  }
  return limiter;
}

/**
 * Writes the counts this context's limiter has not written yet (tests close their database after).
 *
 * @example
 * await flushOid4vciRateLimiter(ctx);
 */
export async function flushOid4vciRateLimiter(ctx: ServerContext): Promise<void> {
  await limiters.get(ctx)?.flush();
}

/**
 * @example
 * export const POST = withOid4vci("token", async (request) => toResponse(await handleTokenRequest(request, deps)));
 */
export function withOid4vci(endpoint: Oid4vciEndpoint, handler: (request: Request, context: RouteContext) => Promise<Response>) {
  return withApi(async (request, context) => {
    const ctx = getServerContext();
    const verdict = oid4vciRateLimiter(ctx)?.check(endpoint, clientAddress(request, ctx.env.HAKI_TRUSTED_PROXY_HOPS));
    if (verdict && !verdict.ok) return toResponse(errorResponse(new IssuanceError("ERR_RATE_LIMITED", { retryAfterSeconds: verdict.retryAfterSeconds })));
    return handler(request, context);
  });
}

/**
 * Every method of a path nothing is published at: a JSON 404 in the OAuth shape, never Next's HTML
 * page (clients such as Sphereon's probe `/.well-known/openid-configuration` and JSON-parse what
 * comes back).
 *
 * @example
 * export const { GET, POST, PUT, PATCH, DELETE } = unknownPathRoutes();
 */
export function unknownPathRoutes() {
  const answer = async () => toResponse(handleUnknownPath());
  return { GET: answer, POST: answer, PUT: answer, PATCH: answer, DELETE: answer, OPTIONS: async () => toResponse(handlePreflightRequest()) };
}
