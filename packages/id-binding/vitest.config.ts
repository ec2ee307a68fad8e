import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "id-binding", include: ["src/**/*.test.ts"], testTimeout: 60_000 },
});
