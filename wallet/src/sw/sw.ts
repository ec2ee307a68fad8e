/// <reference lib="webworker" />
/**
 * The wallet's service worker (hand-written; see build/service-worker-plugin.ts for why). It
 * precaches the app shell at install, answers from the cache first so the wallet opens with no
 * network, and never takes over by itself: a new version waits until the page asks (the person
 * tapped "Update now"), so an update never lands in the middle of showing a QR code.
 */
declare const self: ServiceWorkerGlobalScope;
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

const CACHE = `haki-wallet-${__VERSION__}`;
const SHELL = new URL("./index.html", self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(__PRECACHE__.map((p) => new URL(p, self.registration.scope).href))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith("haki-wallet-") && n !== CACHE).map((n) => caches.delete(n)));
      // First install only (nothing controlled yet): take the open page so it works offline at once.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    // Any page of the app (including /receive?credential_offer=...) is the same shell.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => (await cache.match(SHELL)) ?? fetch(req)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(req, { ignoreSearch: false })) ?? fetch(req)),
  );
});
