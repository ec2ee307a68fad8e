/**
 * Service worker registration with prompted updates: a new version installs in the background and
 * waits; `onUpdate` receives a function that activates it, and the page reloads only after that
 * (never in the middle of a hand-over or while a QR code is shown). The first install also takes
 * control of the page (clients.claim) and must not reload it: a half-typed set-up code or PIN stays.
 */

export interface RegisterOptions {
  /** The worker's URL, e.g. `${import.meta.env.BASE_URL}sw.js`. */
  url: string;
  /** Its scope, e.g. `import.meta.env.BASE_URL`. */
  scope: string;
  /** Called when a new version waits; call `apply` when the person taps "Update". */
  onUpdate: (apply: () => void) => void;
}

/**
 * Registers the app's service worker (does nothing where the browser has none) and looks for a new
 * version whenever the app comes back to the foreground.
 *
 * @example
 * if (import.meta.env.PROD) registerServiceWorker({ url: "./sw.js", scope: "./", onUpdate: (apply) => showBanner(apply) });
 */
export function registerServiceWorker(options: RegisterOptions): void {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  let requested = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!requested) return;
    requested = false;
    location.reload();
  });
  const offer = (worker: ServiceWorker | null) => {
    // Only an update waits: on the first install nothing controls the page yet.
    if (!worker || !navigator.serviceWorker.controller) return;
    options.onUpdate(() => {
      requested = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    });
  };
  navigator.serviceWorker
    .register(options.url, { scope: options.scope })
    .then((reg) => {
      offer(reg.waiting);
      reg.addEventListener("updatefound", () => {
        const installing = reg.installing;
        installing?.addEventListener("statechange", () => {
          if (installing.state === "installed") offer(installing);
        });
      });
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") void reg.update().catch(() => undefined);
      });
    })
    .catch(() => undefined);
}
