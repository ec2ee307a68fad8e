/// <reference lib="webworker" />
/**
 * The service worker both PWAs run (each app's `src/sw/sw.ts` calls `serveFromPrecache`; the build
 * plugin in `./vite` bundles it and fills in the file list). It precaches every built file at
 * install, answers the app's own requests from that cache first so the app opens with the server
 * unreachable, leaves other origins (the issuer's API) to the network, and never takes over by
 * itself: a new version waits for the page's SKIP_WAITING message ("prompt" updates).
 *
 * Cache lookups ignore `Vary`: static servers (vite preview among them) answer with
 * `Vary: Origin`, module scripts are fetched in CORS mode (with an Origin header) while the
 * precache requests were not, so a lookup that honours Vary misses every script offline.
 */
declare const self: ServiceWorkerGlobalScope;
/** Filled in by the build (`pwaServiceWorker` in ./vite): paths relative to the scope. */
declare const __HAKI_PRECACHE__: string[];
/** Filled in by the build: a hash of every precached file, so any change gives a new worker. */
declare const __HAKI_VERSION__: string;

/** What a cached answer is matched on: the URL only (see the note above on Vary). */
export const MATCH_OPTIONS: CacheQueryOptions = { ignoreVary: true };

/**
 * Installs the precache, clean-up, prompted update and cache-first handlers.
 *
 * @example
 * // src/sw/sw.ts
 * serveFromPrecache({ cachePrefix: "haki-wallet-" });
 */
export function serveFromPrecache(options: { cachePrefix: string }): void {
  const cacheName = `${options.cachePrefix}${__HAKI_VERSION__}`;
  const scope = self.registration.scope;
  const shell = new URL("./", scope).href;

  self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(__HAKI_PRECACHE__.map((p) => new URL(p, scope).href))));
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        for (const name of await caches.keys()) if (name.startsWith(options.cachePrefix) && name !== cacheName) await caches.delete(name);
        // On the first install nothing controls the open page yet: take it so it works offline at once.
        await self.clients.claim();
      })(),
    );
  });

  self.addEventListener("message", (event) => {
    if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
  });

  self.addEventListener("fetch", (event) => {
    const req = event.request;
    if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
    // Every page of the app (/receive?credential_offer=... too) is the same shell.
    const key = req.mode === "navigate" ? shell : req;
    event.respondWith(
      caches.open(cacheName).then(async (cache) => (await cache.match(key, MATCH_OPTIONS)) ?? fetch(req)),
    );
  });
}
