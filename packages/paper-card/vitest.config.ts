import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "paper-card", include: ["src/**/*.test.ts"] },
});
