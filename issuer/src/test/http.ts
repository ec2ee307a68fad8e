/** Calls a Next.js route handler the way Next does: a Request and a params promise. */
type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response> | Response;

export interface CallOptions<P> {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: BodyInit | object;
  params?: P;
}

/**
 * @example
 * const res = await callRoute(GET, { path: "/api/imports/x", params: { id: "x" }, headers: officer.headers });
 */
export async function callRoute<P = Record<string, string>>(handler: Handler<P>, options: CallOptions<P> = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  let body: BodyInit | undefined;
  if (options.body !== undefined && (typeof options.body === "string" || options.body instanceof Uint8Array || options.body instanceof ReadableStream)) {
    body = options.body as BodyInit;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(`https://issuer.haki.test${options.path ?? "/"}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  return handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
}

/** The `error.code` of a JSON error response. */
export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code;
}
