import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterEach, describe, expect, it } from "vitest";
import { precacheList, pwaServiceWorker } from "./vite";

const runtime = fileURLToPath(new URL("./service-worker.ts", import.meta.url));
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A two-file app with a worker, built with the plugin. */
async function buildApp(files: Record<string, string>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "haki-pwa-"));
  dirs.push(root);
  mkdirSync(join(root, "public"));
  writeFileSync(join(root, "index.html"), '<!doctype html><script type="module" src="/main.ts"></script>');
  writeFileSync(join(root, "public/icon.svg"), "<svg/>");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  await build({ root, logLevel: "silent", configFile: false, plugins: [pwaServiceWorker({ entry: join(root, "sw.ts") })] });
  return root;
}

describe("pwaServiceWorker", () => {
  it("bundles the worker with the shared runtime into one sw.js listing every built and public file", async () => {
    const root = await buildApp({
      "main.ts": 'document.title = "app";',
      "sw.ts": `import { serveFromPrecache } from ${JSON.stringify(runtime)};\nserveFromPrecache({ cachePrefix: "test-" });`,
    });
    const sw = readFileSync(join(root, "dist/sw.js"), "utf8");
    expect(sw).not.toMatch(/__HAKI_(PRECACHE|VERSION)__/);
    expect(sw).not.toMatch(/^\s*(import|export)\b/m);
    expect(sw).toContain("ignoreVary");
    const list = JSON.parse(/(\["\.\/",[^\]]*\])/.exec(sw)?.[1] ?? "[]") as string[];
    expect(list).toContain("index.html");
    expect(list).toContain("icon.svg");
    expect(list.some((f) => /^assets\/index-.*\.js$/.test(f))).toBe(true);
    expect(list).not.toContain("sw.js");
  });

  it("refuses a worker that shares a chunk with the app (a classic worker cannot import it)", async () => {
    await expect(
      buildApp({
        "shared.ts": "export const big = () => Array.from({ length: 3 }, (_, i) => i * 7).join(',');",
        "main.ts": 'import { big } from "./shared";\ndocument.title = big();',
        "sw.ts": 'import { big } from "./shared";\nconsole.log(big());',
      }),
    ).rejects.toThrow(/imports or exports chunks/);
  });
});

describe("precacheList", () => {
  it("puts the shell first and leaves out the worker, source maps and Vite's manifest", () => {
    expect(precacheList(["b.js", "sw.js", "a.js.map", ".vite/manifest.json", "a.js", "b.js"], "sw.js")).toEqual(["./", "a.js", "b.js"]);
  });
});
