import { defineProject } from "vitest/config";

// Unit tests of the browser kit; the journey itself (src/journey.e2e.ts) runs through `test:e2e`.
export default defineProject({ test: { name: "e2e-kit", include: ["src/**/*.test.ts"] } });
