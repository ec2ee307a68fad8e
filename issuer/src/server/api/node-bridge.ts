/**
 * Between node:http and the Fetch API, for the issuer's server (`src/server/cli/serve.ts`): a Web
 * `Request` from an `IncomingMessage`, as Next builds the one its route handlers get, and a Web
 * `Response` written back to a `ServerResponse`, as Next sends a route handler's answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** Where the server listens: the `x-forwarded-port` Next fills in when no proxy set one. */
export interface ListenAddress {
  hostname: string;
  port: number;
}

/**
 * The request as a route handler sees it under Next: the same URL (scheme, the Host header, the
 * path and query), the headers with the `x-forwarded-*` ones Next adds when no proxy set them (the
 * socket's address as `x-forwarded-for`: what the rate limits count when there is no proxy), the
 * body as a stream (read only as far as the handler reads it), and a signal aborted when the client
 * goes away before the answer is sent.
 *
 * @example
 * const request = toWebRequest(req, res, { hostname: "127.0.0.1", port: 3000 });
 */
export function toWebRequest(req: IncomingMessage, res: ServerResponse, at: ListenAddress): Request {
  const encrypted = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  // As Next's base server does (`??=`): a value a proxy set is kept as it came.
  const forwardedProto = headers.get("x-forwarded-proto");
  const https = forwardedProto ? forwardedProto === "https" : encrypted;
  if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", headers.get("host") ?? at.hostname);
  if (!headers.has("x-forwarded-port")) headers.set("x-forwarded-port", String(at.port));
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", https ? "https" : "http");
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);

  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const url = `${encrypted ? "https" : "http"}://${req.headers.host ?? `${at.hostname}:${at.port}`}${req.url ?? "/"}`;
  return new Request(url, {
    method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * Writes a Web `Response` to the Node response: status, every header (each `Set-Cookie` apart),
 * the body (the routes served this way answer a few kilobytes at most, so it is read whole and
 * written in one piece).
 *
 * @example
 * await sendWebResponse(res, await handler(request, context));
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  // Written, then ended, as Next writes a streamed body: its compression middleware then compresses
  // whatever the client accepts in gzip, whatever the size (with `end(body)` it would skip under 1 KB).
  res.write(Buffer.from(await response.arrayBuffer()));
  res.end();
}
