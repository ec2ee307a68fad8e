import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "claim169", include: ["src/**/*.test.ts"], testTimeout: 60_000 },
});
