/**
 * The update prompt: `@haki/pwa/register` with the banner's state. The banner is hidden while a QR
 * code is shown, and the page reloads only after the person taps "Update now".
 */
import { useEffect, useState } from "preact/hooks";
import { registerServiceWorker } from "@haki/pwa/register";

export function useServiceWorker(): { updateReady: boolean; applyUpdate: () => void } {
  const [apply, setApply] = useState<() => void>();
  useEffect(() => {
    if (import.meta.env.PROD)
      registerServiceWorker({ url: `${import.meta.env.BASE_URL}sw.js`, scope: import.meta.env.BASE_URL, onUpdate: (a) => setApply(() => a) });
  }, []);
  return { updateReady: apply !== undefined, applyUpdate: () => apply?.() };
}
