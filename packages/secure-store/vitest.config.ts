import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "secure-store", include: ["src/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
});
