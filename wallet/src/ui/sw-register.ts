/**
 * The update prompt (`@haki/pwa/preact`): the banner is hidden while a QR code is shown, and the
 * page reloads only after the person taps "Update now".
 */
import { useUpdatePrompt } from "@haki/pwa/preact";

export function useServiceWorker(): { updateReady: boolean; applyUpdate: () => void } {
  const apply = useUpdatePrompt({ url: `${import.meta.env.BASE_URL}sw.js`, scope: import.meta.env.BASE_URL, enabled: import.meta.env.PROD });
  return { updateReady: apply !== undefined, applyUpdate: () => apply?.() };
}
