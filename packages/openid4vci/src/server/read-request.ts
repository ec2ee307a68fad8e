/** Reading what a wallet sent: method, Bearer token, JSON body (each refused with the spec's error). */
import { readCappedText } from "@haki/capped-body";
import { IssuanceError } from "../errors";
import { hashSecret } from "../store";
import type { IssuanceDeps } from "./deps";

/** The most a wallet's request body may hold: a credential request with its proofs is a few kilobytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;

type RequestErrorCode = "ERR_INVALID_REQUEST" | "ERR_INVALID_CREDENTIAL_REQUEST" | "ERR_INVALID_NOTIFICATION_REQUEST";

/** Throws `code` unless the request uses `method`. */
export function requireMethod(request: Request, method: string, code: RequestErrorCode = "ERR_INVALID_REQUEST"): void {
  if (request.method.toUpperCase() !== method) throw new IssuanceError(code, { detail: `Use ${method}.` });
}

/** The request as @openid4vc/oauth2 reads it. */
export function requestLike(request: Request) {
  return { method: request.method.toUpperCase() as "POST", url: request.url, headers: request.headers };
}

/** The access token of `Authorization: Bearer ...` (ERR_INVALID_TOKEN without one). */
export function bearerToken(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new IssuanceError("ERR_INVALID_TOKEN", { detail: "Send the access token as a Bearer token." });
  return match[1];
}

/** A JSON object body (`code` when the type, the JSON or the shape is wrong). */
export async function readJson(request: Request, code: "ERR_INVALID_CREDENTIAL_REQUEST" | "ERR_INVALID_NOTIFICATION_REQUEST"): Promise<Record<string, unknown>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) throw new IssuanceError(code, { detail: "The body must be JSON." });
  let body: unknown;
  try {
    body = JSON.parse(await readText(request, code));
  } catch (cause) {
    throw new IssuanceError(code, { detail: "The body is not valid JSON.", cause });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new IssuanceError(code, { detail: "The body must be a JSON object." });
  return body as Record<string, unknown>;
}

/** The body as text; `code` once it passes MAX_REQUEST_BYTES (the rest is not read). */
export function readText(request: Request, code: RequestErrorCode): Promise<string> {
  return readCappedText(request, MAX_REQUEST_BYTES, (max) => new IssuanceError(code, { detail: `The body is larger than ${max} bytes.` }));
}

/** SHA-256 hex of a secret with the deps' hash (or the default `hashSecret`). */
export const hashOf = (deps: Pick<IssuanceDeps, "hashSecret">, secret: string) => (deps.hashSecret ?? hashSecret)(secret);
