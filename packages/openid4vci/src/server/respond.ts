/** How every handler answers: JSON with CORS, the spec's error body, a Fetch `Response`. */
import { IssuanceError } from "../errors";
import type { HandlerResponse } from "./deps";

/**
 * Wallets are web apps on another origin: every OpenID4VCI endpoint answers CORS. `*` is safe here
 * because nothing relies on cookies; access tokens travel in the Authorization header.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "www-authenticate, retry-after",
};

export const JSON_HEADERS: Readonly<Record<string, string>> = { "content-type": "application/json", "cache-control": "no-store", ...CORS_HEADERS };

/** A 200 JSON answer, never cached. */
export function ok(body: unknown, extra: Record<string, string> = {}): HandlerResponse {
  return { status: 200, headers: { ...JSON_HEADERS, ...extra }, body };
}

/**
 * The error response the spec asks for (`error`, `error_description`), plus Haki's finer reason
 * (`haki_error`) and, after a wrong PIN, `attempts_left`.
 * @example
 * errorResponse(new IssuanceError("ERR_OFFER_EXPIRED")); // { status: 400, body: { error: "invalid_grant", ... } }
 */
export function errorResponse(error: IssuanceError): HandlerResponse {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error.status === 401) headers["www-authenticate"] = `Bearer error="${error.oauthError}"`;
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  return {
    status: error.status,
    headers,
    body: {
      error: error.oauthError,
      error_description: error.message,
      haki_error: error.hakiError,
      ...(error.attemptsLeft !== undefined ? { attempts_left: error.attemptsLeft } : {}),
    },
  };
}

/** Runs a handler, turning any throw into the spec's error response (unknown ones as ERR_ISSUANCE_FAILED). */
export async function guard(run: () => Promise<HandlerResponse>): Promise<HandlerResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IssuanceError) return errorResponse(error);
    return errorResponse(new IssuanceError("ERR_ISSUANCE_FAILED", { cause: error }));
  }
}

/**
 * Turns a handler result into a Fetch API `Response` (what Next.js route handlers return).
 * @example
 * export async function POST(req: Request) { return toResponse(await handleTokenRequest(req, deps)); }
 */
export function toResponse(result: HandlerResponse): Response {
  const body = result.status === 204 || result.body === undefined ? null : JSON.stringify(result.body);
  return new Response(body, { status: result.status, headers: result.headers });
}

/**
 * `OPTIONS` on any OpenID4VCI endpoint: the CORS preflight a browser wallet sends before POSTing
 * JSON with an Authorization header.
 * @example
 * export const OPTIONS = () => toResponse(handlePreflightRequest());
 */
export function handlePreflightRequest(): HandlerResponse {
  return {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "authorization, content-type, dpop",
      "access-control-max-age": "600",
    },
    body: undefined,
  };
}

/**
 * What every unknown path under `/.well-known/` (and the OpenID4VCI routes) should answer: JSON,
 * never an HTML page (clients such as Sphereon's JSON-parse whatever comes back).
 * @example
 * export const GET = () => toResponse(handleUnknownPath());
 */
export function handleUnknownPath(): HandlerResponse {
  return { status: 404, headers: { ...JSON_HEADERS }, body: { error: "not_found", error_description: "Nothing is published at this path." } };
}
