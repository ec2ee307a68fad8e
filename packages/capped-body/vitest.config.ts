import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "capped-body", include: ["src/**/*.test.ts"], environment: "node" } });
