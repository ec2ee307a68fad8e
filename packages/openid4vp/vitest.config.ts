import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "openid4vp", include: ["src/**/*.test.ts"], testTimeout: 60_000 },
});
