import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "status-list", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
