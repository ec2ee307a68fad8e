/**
 * The one route wrapper: turns validation errors, ApiErrors and package errors (anything with a
 * stable `code`) into JSON responses `{ error: { code, message, details? } }`.
 */
import { ZodError } from "zod";
import { ApiError, type ApiErrorCode } from "./errors";

export type RouteContext<P extends Record<string, string> = Record<string, string>> = { params: Promise<P> };
type Handler<P extends Record<string, string>> = (request: Request, context: RouteContext<P>) => Promise<Response>;

/** Package error codes that are the caller's fault, answered 400; anything else coded is a 500. */
const CLIENT_CODE = /^ERR_(INPUT|ROW|REGISTRY|STATUS_INDEX|KEY_INVALID|PROOF|CREDENTIAL|PRESENTATION|OFFER|TX_CODE)/;

/**
 * Wraps a route handler.
 *
 * @example
 * export const POST = withApi(async (request) => Response.json(await doThing(await readJson(request, Body))));
 */
export function withApi<P extends Record<string, string> = Record<string, string>>(handler: Handler<P>): Handler<P> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** The JSON error response for any thrown value. */
export function errorResponse(e: unknown): Response {
  if (e instanceof ApiError) return json(e.status, e.code, e.message, e.details);
  if (e instanceof ZodError) {
    const details = e.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return json(400, "ERR_BAD_REQUEST", "The request is not valid.", details);
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && CLIENT_CODE.test(code)) return json(400, code, (e as Error).message);
  console.error("issuer: unexpected error", e);
  return json(500, "ERR_INTERNAL", "Something went wrong on the issuer; try again later.");
}

function json(status: number, code: ApiErrorCode | string, message: string, details?: unknown): Response {
  return Response.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status });
}

/**
 * Reads and validates a JSON body (400 ERR_BAD_REQUEST on anything else).
 *
 * @example
 * const body = await readJson(request, z.object({ reason: z.string() }));
 */
export async function readJson<T>(request: Request, schema: { parse(v: unknown): T }, maxBytes = 1_000_000): Promise<T> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError("ERR_UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  }
  const text = await request.text();
  if (text.length > maxBytes) throw new ApiError("ERR_PAYLOAD_TOO_LARGE", "The request body is too large.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ApiError("ERR_BAD_REQUEST", "The body is not valid JSON.", { cause });
  }
  return schema.parse(value);
}
