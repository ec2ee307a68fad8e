/**
 * The issuer's production server (`pnpm start`; `npm start` and the browser tests start it too):
 * Next's documented custom server (`next({ dev: false })` and its request handler) on node:http,
 * with the machine-to-machine routes wallets call at volume (OpenID4VCI token, nonce, credential,
 * notification; the status lists) answered straight from the machine routes' table
 * (`@/server/api/machine-routes`), the same functions the route files export. Everything else (the
 * console, its actions, every other route, other methods and unknown paths) goes to Next.
 *
 * Why: under 100 wallets at once Next's request path (routing, its request and response objects)
 * cost more CPU than the credential handler itself (BENCHMARKS.md, "Issuer HTTP under load"). The
 * routes served here set every header they answer with themselves, and no middleware or
 * next.config `headers()` applies to them (there is none); `issuer/e2e/fast-path.e2e.ts` checks
 * that both ways answer alike.
 *
 *   node --import tsx src/server/cli/serve.ts [--port 3000] [--hostname 127.0.0.1]
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const port = Number(arg("port") ?? "3000");
// As `next start`: every interface unless a hostname is given.
const listenOn = arg("hostname");
const hostname = listenOn ?? "localhost";
// `next start` runs in production mode whatever the shell says; so does this server (set before
// Next and React are loaded: they read it once).
(process.env as Record<string, string>).NODE_ENV = "production";

const { default: next } = await import("next");
const { matchMachineRoute } = await import("@/server/api/machine-routes");
const { acceptsCompression, readSmallBody, sendWebResponse, toWebRequest } = await import("@/server/api/node-bridge");
const { errorResponse } = await import("@/server/api/route");

// Next's own response compression (what its router applies to every answer, `compress` being on in
// next.config.ts): the same middleware, so a wallet asking for gzip gets what Next would send.
const nextInternals = createRequire(import.meta.url);
const compress = (nextInternals("next/dist/compiled/compression") as () => (req: IncomingMessage, res: ServerResponse, next: () => void) => void)();
const { releaseCompressionStream } = nextInternals("next/dist/server/lib/release-compression-stream") as { releaseCompressionStream: (res: ServerResponse) => void };

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const app = next({ dev: false, dir, hostname, port });
const handleWithNext = app.getRequestHandler();
await app.prepare();

const at = { hostname, port };
const server = createServer((req, res) => {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const route = matchMachineRoute(req.method ?? "GET", q < 0 ? url : url.slice(0, q));
  if (!route) {
    void handleWithNext(req, res);
    return;
  }
  compress(req, res, () => undefined);
  // As Next's router: on a client that goes away the middleware never ends its zlib stream.
  res.once("close", () => {
    if (!res.writableFinished) releaseCompressionStream(res);
  });
  const answer = async () => {
    let response: Response;
    try {
      response = await route.handler(toWebRequest(req, res, at, await readSmallBody(req)), { params: Promise.resolve(route.params) });
    } catch (e) {
      response = errorResponse(e); // the handlers answer their own errors; this is the last resort
    }
    await sendWebResponse(res, response, acceptsCompression(req));
  };
  answer().catch((e: unknown) => {
    console.error("issuer: answering a request failed", e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(port, listenOn, () => console.log(`issuer: listening on http://${hostname}:${port}`));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
