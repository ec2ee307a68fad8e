import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Unit tests of the browser kit, and tests that run two apps' code in one process (the wallet's
// receiving code against the issuer's route handlers); the journey itself (src/journey.e2e.ts) runs
// through `test:e2e`. `@/…` is issuer/src, as in the issuer's own config.
export default defineProject({
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("../issuer/src/", import.meta.url)) }] },
  test: { name: "e2e-kit", include: ["src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 90_000 },
});
