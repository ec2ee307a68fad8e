import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The issuer's tests against its build (`pnpm --dir issuer test:e2e`): servers started from .next.
export default defineConfig({
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("../src/", import.meta.url)) }] },
  test: { include: ["e2e/**/*.e2e.ts"], testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false },
});
