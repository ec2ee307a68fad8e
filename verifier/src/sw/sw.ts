/**
 * The verifier's service worker: the shared one of `@haki/pwa` (precache the whole app, cache
 * first, updates wait for the operator). It never touches the issuer's API: the app handles those
 * requests and their failures itself.
 */
import { serveFromPrecache } from "@haki/pwa/service-worker";

serveFromPrecache({ cachePrefix: "haki-verifier-" });
