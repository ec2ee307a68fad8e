import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  // `@/…` is issuer/src (the same alias as tsconfig.json's `paths`, which Next reads itself).
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("./src/", import.meta.url)) }] },
  test: { name: "issuer", include: ["src/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 },
});
