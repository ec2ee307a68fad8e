/**
 * Registers the service worker. A new version waits until the operator taps "Update" (the
 * prompt strategy): `onUpdate` receives a function that activates it and reloads.
 *
 * @example
 * registerServiceWorker((apply) => showBanner(apply));
 */
export function registerServiceWorker(onUpdate: (apply: () => void) => void): void {
  if (!("serviceWorker" in navigator) || !import.meta.env.PROD) return;
  // Reload only for an update the operator asked for: the first install also changes the
  // controller (clients.claim) and must not wipe a half-typed set-up code.
  let requested = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!requested) return;
    requested = false;
    location.reload();
  });
  void navigator.serviceWorker.register("./sw.js", { scope: "./" }).then((reg) => {
    const offer = (worker: ServiceWorker | null) => {
      if (worker && navigator.serviceWorker.controller)
        onUpdate(() => {
          requested = true;
          worker.postMessage({ type: "SKIP_WAITING" });
        });
    };
    offer(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const installing = reg.installing;
      installing?.addEventListener("statechange", () => {
        if (installing.state === "installed") offer(installing);
      });
    });
  });
}
