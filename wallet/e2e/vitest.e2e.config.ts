import { defineConfig } from "vitest/config";

// Browser tests of the built wallet; run by `pnpm --filter @haki/wallet test:e2e` (e2e/run.ts),
// not by the root unit test run.
export default defineConfig({
  test: {
    name: "wallet-e2e",
    root: new URL("..", import.meta.url).pathname,
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 120_000,
    // A hook starts an issuer, Chromium and a preview server: on a busy 2-core machine that can take over a minute.
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});
