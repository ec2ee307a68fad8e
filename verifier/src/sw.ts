/**
 * The verifier's service worker: precaches the whole built app at install so it opens and checks
 * with no network, serves it cache-first, and never touches the issuer's API (the app handles
 * those requests and their failures itself). Updates wait for the operator ("prompt"): a new
 * version is activated only when the app says so, never in the middle of a hand-over.
 *
 * Built as its own entry; the build writes the file list into __PRECACHE_MANIFEST__.
 */

// Minimal types of the service worker scope (the DOM lib does not have them).
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface SwScope {
  location: Location;
  registration: { scope: string };
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", fn: (e: FetchEvent) => void): void;
  addEventListener(type: "message", fn: (e: MessageEvent) => void): void;
}

declare const __PRECACHE_MANIFEST__: string[];
declare const __PRECACHE_VERSION__: string;

const sw = self as unknown as SwScope;
const CACHE = `haki-verifier-${__PRECACHE_VERSION__}`;
const PRECACHE: string[] = __PRECACHE_MANIFEST__;
const scope = new URL(sw.registration.scope);

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new URL(p, scope).toString()))),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith("haki-verifier-") && key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("message", (event) => {
  if ((event.data as { type?: string } | null)?.type === "SKIP_WAITING") void sw.skipWaiting();
});

sw.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== scope.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(
      caches
        .match(new URL("./", scope).toString(), { cacheName: CACHE, ignoreVary: true })
        .then((hit) => hit ?? fetch(req)),
    );
    return;
  }
  // ignoreVary: the static server varies on Origin, and module scripts are fetched in CORS mode
  // (with Origin) while the precache requests were not.
  event.respondWith(
    caches
      .match(req, { cacheName: CACHE, ignoreVary: true, ignoreSearch: true })
      .then((hit) => hit ?? fetch(req)),
  );
});
