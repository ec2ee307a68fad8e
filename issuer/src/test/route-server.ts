/**
 * The issuer's route handlers behind a real HTTP port, for clients that bring their own HTTP stack
 * (Sphereon's wallet client uses node-fetch): every `route.ts` under src/app is found on disk and
 * matched the way Next's App Router matches it (static segments before dynamic ones before
 * catch-alls; route groups left out of the path). What Next serves besides route handlers (pages,
 * its own not-found page) is not here: an unmatched path answers 599, so a test notices.
 */
import { createServer, type Server } from "node:http";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..", "app");

type Segment = { kind: "static"; value: string } | { kind: "dynamic"; name: string } | { kind: "catchAll"; name: string };
type Route = { file: string; segments: Segment[] };
type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;

function findRoutes(dir: string): Route[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return findRoutes(p);
    if (d.name !== "route.ts") return [];
    const segments = relative(appDir, dirname(p))
      .split("/")
      .filter((s) => s && !/^\(.*\)$/.test(s))
      .map((s): Segment => {
        const m = /^\[(\.\.\.)?(\w+)\]$/.exec(s);
        if (!m) return { kind: "static", value: s };
        return m[1] ? { kind: "catchAll", name: m[2]! } : { kind: "dynamic", name: m[2]! };
      });
    return [{ file: p, segments }];
  });
}

// Next's order: at the first segment where two routes differ, static beats dynamic beats catch-all.
const rank = (s: Segment | undefined) => (s === undefined ? -1 : s.kind === "static" ? 0 : s.kind === "dynamic" ? 1 : 2);
function compare(a: Route, b: Route): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const d = rank(a.segments[i]) - rank(b.segments[i]);
    if (d !== 0) return d;
  }
  return 0;
}

function match(route: Route, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (const [i, s] of route.segments.entries()) {
    if (s.kind === "catchAll") {
      if (parts.length <= i) return null;
      params[s.name] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (s.kind === "static" && s.value !== part) return null;
    if (s.kind === "dynamic") params[s.name] = part;
  }
  return parts.length === route.segments.length ? params : null;
}

/**
 * Dispatches a Fetch `Request` to the route handler Next would pick.
 *
 * @example
 * const res = await dispatchToRoutes(new Request("https://issuer.haki.test/.well-known/did.json"));
 */
export async function dispatchToRoutes(request: Request): Promise<Response> {
  const parts = new URL(request.url).pathname.split("/").filter(Boolean).map(decodeURIComponent);
  for (const route of ROUTES) {
    const params = match(route, parts);
    if (!params) continue;
    const mod = (await import(route.file)) as Record<string, Handler | undefined>;
    const method = request.method.toUpperCase();
    const handler = mod[method] ?? (method === "HEAD" ? mod.GET : undefined);
    if (!handler) return new Response(null, { status: 405 }); // what Next answers for a method a route lacks
    return handler(request, { params: Promise.resolve(params) });
  }
  return new Response("no route handler for this path", { status: 599 });
}

const ROUTES = findRoutes(appDir).sort(compare);

export interface RouteServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** "<METHOD> <path> <status>" of every request answered, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Listens on a free port of 127.0.0.1 and answers with the route handlers. Listen first, then make
 * the test context with `HAKI_PUBLIC_URL` = `origin` (credential issuer URLs must match).
 *
 * @example
 * const server = await startRouteServer();
 * const t = await createTestContext("sqlite", { env: { HAKI_PUBLIC_URL: server.origin } });
 */
export async function startRouteServer(): Promise<RouteServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      // Next adds the socket's address when no proxy did.
      if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", req.socket.remoteAddress ?? "");
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      dispatchToRoutes(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }))
        .then(async (r) => {
          requests.push(`${req.method} ${req.url} ${r.status}`);
          res.writeHead(r.status, Object.fromEntries(r.headers));
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch((e: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(e));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
