/**
 * The JSON POSTs the PWAs call from their own origin (verifier devices, wallets): no cookie, the
 * signature inside the body is the authorisation, and each handler checks it.
 */
import { getServerContext, type ServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";

/**
 * A public JSON POST: CORS open (pair it with `OPTIONS = preflight`), the body read against
 * `schema` (at most `maxBytes`, 1 MB unless given), and what `handle` returns answered as JSON,
 * never cached.
 *
 * @example
 * export const POST = publicJsonPost(EnrolmentRequest, enrolDevice);
 * export const OPTIONS = preflight;
 */
export function publicJsonPost<T, R>(schema: { parse(v: unknown): T }, handle: (ctx: ServerContext, body: T) => Promise<R>, maxBytes?: number) {
  return withApi(
    async (request) => {
      const body = await readJson(request, schema, maxBytes);
      return Response.json(await handle(getServerContext(), body), { headers: { "cache-control": "no-store" } });
    },
    { cors: true },
  );
}
