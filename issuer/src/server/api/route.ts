/**
 * The one route wrapper: turns validation errors, ApiErrors and package errors (anything whose
 * `code` is in `errorCodeToHttpStatus`) into JSON responses `{ error: { code, message, details? } }`.
 */
import { readCappedText } from "@haki/capped-body";
import { ApiError, describeError } from "./errors";
import { withCors } from "./cors";

export type RouteContext<P extends Record<string, string> = Record<string, string>> = { params: Promise<P> };
type Handler<P extends Record<string, string>> = (request: Request, context: RouteContext<P>) => Promise<Response>;

/**
 * Wraps a route handler. `cors: true` for the endpoints verifier devices call from their own
 * origin (every answer, errors included, carries the CORS headers; pair it with `OPTIONS = preflight`).
 *
 * @example
 * export const POST = withApi(async (request) => Response.json(await doThing(await readJson(request, Body))));
 */
export function withApi<P extends Record<string, string> = Record<string, string>>(
  handler: Handler<P>,
  options: { cors?: boolean } = {},
): Handler<P> {
  return async (request, context) => {
    let response: Response;
    try {
      response = await handler(request, context);
    } catch (e) {
      response = errorResponse(e);
    }
    return options.cors ? withCors(response) : response;
  };
}

/**
 * The JSON error response for any thrown value (`describeError`); an internal failure is logged.
 *
 * @example
 * errorResponse(new QrCorruptError()).status; // 400
 */
export function errorResponse(e: unknown): Response {
  const { status, code, message, details, internal } = describeError(e);
  if (internal) console.error("issuer: unexpected error", e);
  return Response.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status });
}

/**
 * Reads and validates a JSON body (400 ERR_BAD_REQUEST on anything else). The body is read at most
 * `maxBytes` far (413 ERR_PAYLOAD_TOO_LARGE past it, or at once when the declared length is over):
 * an anonymous caller cannot make the issuer hold a body of any size in memory.
 *
 * @example
 * const body = await readJson(request, z.object({ reason: z.string() }));
 */
export async function readJson<T>(request: Request, schema: { parse(v: unknown): T }, maxBytes = 1_000_000): Promise<T> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError("ERR_UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  }
  const text = await readCappedText(request, maxBytes, () => new ApiError("ERR_PAYLOAD_TOO_LARGE", "The request body is too large.", { details: { maxBytes } }));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ApiError("ERR_BAD_REQUEST", "The body is not valid JSON.", { cause });
  }
  return schema.parse(value);
}
