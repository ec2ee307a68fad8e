import { defineConfig } from "vitest/config";

// One vitest run for the whole workspace: every package and app brings its own
// vitest.config.ts (its "project"); unit tests sit beside the code they test.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "tooling/*/vitest.config.ts", "{issuer,wallet,verifier,e2e}/vitest.config.ts"],
  },
});
