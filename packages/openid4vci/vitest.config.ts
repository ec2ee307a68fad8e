import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "openid4vci", include: ["src/**/*.test.ts"] },
});
