import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "issuer",
    include: ["src/**/*.test.ts"],
    // Route handler tests open a SQLite file each; a few files at a time is enough on 2 cores.
    maxWorkers: 2,
  },
});
