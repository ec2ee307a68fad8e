/**
 * Service worker registration with prompted updates: a new version waits until the person taps
 * "Update now" (never in the middle of showing a QR: the banner is hidden then), and the page
 * reloads only after that tap.
 */
import { useEffect, useState } from "preact/hooks";

export function useServiceWorker(): { updateReady: boolean; applyUpdate: () => void } {
  const [waiting, setWaiting] = useState<ServiceWorker>();
  useEffect(() => {
    if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
    let reg: ServiceWorkerRegistration | undefined;
    const watch = (r: ServiceWorkerRegistration) => {
      if (r.waiting && navigator.serviceWorker.controller) setWaiting(r.waiting);
      r.addEventListener("updatefound", () => {
        const installing = r.installing;
        installing?.addEventListener("statechange", () => {
          // Only an update waits: on the first install there is no controller yet.
          if (installing.state === "installed" && navigator.serviceWorker.controller) setWaiting(installing);
        });
      });
    };
    navigator.serviceWorker
      .register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL })
      .then((r) => {
        reg = r;
        watch(r);
      })
      .catch(() => undefined);
    const check = () => document.visibilityState === "visible" && void reg?.update().catch(() => undefined);
    document.addEventListener("visibilitychange", check);
    return () => document.removeEventListener("visibilitychange", check);
  }, []);
  return {
    updateReady: waiting !== undefined,
    applyUpdate: () => {
      if (!waiting) return;
      navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
      waiting.postMessage({ type: "SKIP_WAITING" });
    },
  };
}
