import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "card-state", include: ["src/**/*.test.ts"], environment: "node" } });
