import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "redemption", include: ["src/**/*.test.ts"] },
});
