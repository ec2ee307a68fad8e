/**
 * The wallet's service worker: the shared one of `@haki/pwa` (precache the app shell, cache first
 * so the wallet opens with no network, a new version waits until the person taps "Update now", so
 * an update never lands in the middle of showing a QR code).
 */
import { serveFromPrecache } from "@haki/pwa/service-worker";

serveFromPrecache({ cachePrefix: "haki-wallet-" });
