import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Every source file the wallet bundles through `./client`, following relative and @haki/* imports. */
function walletSources(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, "utf8");
    seen.set(file, text);
    for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
      if (!spec) continue;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.endsWith(".ts") ? spec : `${spec}.ts`));
      else if (spec.startsWith("@haki/")) visit(require.resolve(spec));
    }
  };
  visit(entry);
  return seen;
}

describe("wallet client is browser-safe", () => {
  it.each(["client.ts", "errors.ts", "metadata.ts", "offer.ts"])("%s imports nothing from node: and uses no Node globals", (entry) => {
    const sources = walletSources(resolve(here, entry));
    expect(sources.size).toBeGreaterThan(entry === "errors.ts" ? 0 : 3);
    for (const [file, text] of sources) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect([file, /from\s+"node:|require\(|\bBuffer\b|\bprocess\./.test(code)]).toEqual([file, false]);
    }
  });
});
