// Every route handler under src/app is documented in openapi.yaml (and nothing documented is gone).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const appDir = dirname(fileURLToPath(import.meta.url));

function routes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return routes(p);
    return d.name === "route.ts" ? [`/${relative(appDir, dirname(p))}`.replace(/\[(?:\.\.\.)?(\w+)\]/g, "{$1}").replace(/\/\([^)]+\)/g, "")] : [];
  });
}

describe("openapi.yaml", () => {
  it("documents exactly the route handlers the app has", () => {
    const spec = readFileSync(join(appDir, "..", "..", "openapi.yaml"), "utf8");
    const documented = [...spec.matchAll(/^ {2}(\/\S*):$/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(routes(appDir).sort());
  });
});
