import { defineProject } from "vitest/config";

export default defineProject({
  // --expose-gc: the streaming test measures retained heap after a forced GC, so a busy machine
  // that postpones collection cannot make it fail.
  test: { name: "registry", include: ["src/**/*.test.ts"], execArgv: ["--expose-gc"] },
});
