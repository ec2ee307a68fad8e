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
 * body (`readSmallBody`), and a signal aborted when the client goes away before the answer is sent.
 *
 * @example
 * const request = toWebRequest(req, res, { hostname: "127.0.0.1", port: 3000 }, await readSmallBody(req));
 */
export function toWebRequest(req: IncomingMessage, res: ServerResponse, at: ListenAddress, body: Buffer | ReadableStream<Uint8Array> | undefined): Request {
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
  const url = `${encrypted ? "https" : "http"}://${req.headers.host ?? `${at.hostname}:${at.port}`}${req.url ?? "/"}`;
  if (Buffer.isBuffer(body)) return new BufferedRequest(url, { method, headers, signal: controller.signal }, body);
  return new Request(url, { method, headers, signal: controller.signal, ...(body === undefined ? {} : { body, duplex: "half" }) } as RequestInit);
}

/**
 * A Request whose small body is already in memory: `text()`, `json()` and `arrayBuffer()` answer
 * from it, and `body` is a stream of it made when first asked for (the same stream after). Given to the constructor, the
 * bytes would become a web stream the handler then reads back (a tenth of a loaded issuer's CPU
 * went to that under 100 wallets). A body is read once, as a Request's is.
 */
class BufferedRequest extends Request {
  #bytes: Buffer;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null = null;

  constructor(url: string, init: RequestInit, bytes: Buffer) {
    super(url, init);
    this.#bytes = bytes;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#stream ??= new Blob([new Uint8Array(this.#take())]).stream();
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override async text(): Promise<string> {
    return this.#take().toString("utf8");
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.#take()).buffer;
  }

  override async blob(): Promise<Blob> {
    return new Blob([new Uint8Array(this.#take())], { type: this.headers.get("content-type") ?? "" });
  }

  override async formData(): Promise<FormData> {
    return new Response(new Uint8Array(this.#take()), { headers: { "content-type": this.headers.get("content-type") ?? "" } }).formData();
  }

  override clone(): Request {
    if (this.#used) throw new TypeError("The request body was already read.");
    return new BufferedRequest(this.url, { method: this.method, headers: this.headers, signal: this.signal }, this.#bytes);
  }

  #take(): Buffer {
    if (this.#used) throw new TypeError("The request body was already read.");
    this.#used = true;
    return this.#bytes;
  }
}

/**
 * The body to give the Request: a small one with a declared length read whole (a wallet's request
 * is about a kilobyte; a stream costs more than the read), anything else as a stream the handler
 * reads only as far as it wants (its own size limits apply as under Next).
 *
 * @example
 * const body = await readSmallBody(req); // Buffer, a ReadableStream, or undefined for GET
 */
export async function readSmallBody(req: IncomingMessage): Promise<Buffer | ReadableStream<Uint8Array> | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const declared = req.headers["content-length"] === undefined ? NaN : Number(req.headers["content-length"]);
  if (!(declared <= SMALL_BODY) || req.headers["transfer-encoding"] !== undefined) return Readable.toWeb(req) as ReadableStream<Uint8Array>;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Whether the request accepts an encoding Next's compression middleware uses (gzip, deflate, or any).
 *
 * @example
 * acceptsCompression(req); // true for "Accept-Encoding: gzip, br"
 */
export function acceptsCompression(req: IncomingMessage): boolean {
  return /gzip|deflate|\*/i.test(req.headers["accept-encoding"] ?? "");
}

/** Bodies up to this size, with a declared length, are read whole before the handler runs. */
const SMALL_BODY = 64 * 1024;

/**
 * Writes a Web `Response` to the Node response: status, every header (each `Set-Cookie` apart),
 * the body (the routes served this way answer a few kilobytes at most, so it is read whole and
 * written in one piece).
 *
 * @example
 * await sendWebResponse(res, await handler(request, context), acceptsCompression(req));
 */
export async function sendWebResponse(res: ServerResponse, response: Response, mayCompress: boolean): Promise<void> {
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
  const body = Buffer.from(await response.arrayBuffer());
  if (mayCompress) {
    // Written, then ended, as Next writes a streamed body: its compression middleware then
    // compresses whatever the client accepts, whatever the size (`end(body)` skips under 1 KB).
    res.write(body);
    res.end();
  } else res.end(body); // one write, with its Content-Length (nothing would be compressed anyway)
}
