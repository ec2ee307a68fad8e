/**
 * Builds the service worker: strips the types of src/sw/sw.ts, and fills in the list of files to
 * precache (every emitted chunk and asset plus public/) and a version hash of their contents, so any
 * change gives a new worker and a prompt. A dozen lines instead of vite-plugin-pwa's workbox-build
 * (which pulls Babel, Rollup 2 and Terser into every build) for the same three behaviours: precache,
 * cache-first, update on request only.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { transformWithOxc, type Plugin } from "vite";

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

export function serviceWorkerPlugin(options: { source: string; publicDir: string }): Plugin {
  return {
    name: "haki-service-worker",
    apply: "build",
    enforce: "post",
    async generateBundle(_opts, bundle) {
      const hash = createHash("sha256");
      const files: string[] = [];
      for (const [fileName, item] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (fileName.endsWith(".map") || fileName === "sw.js") continue;
        files.push(fileName);
        hash.update(fileName).update(item.type === "chunk" ? item.code : item.source);
      }
      for (const path of listFiles(options.publicDir).sort()) {
        const rel = relative(options.publicDir, path).split("\\").join("/");
        files.push(rel);
        hash.update(rel).update(readFileSync(path));
      }
      const version = hash.digest("hex").slice(0, 16);
      const { code } = await transformWithOxc(readFileSync(options.source, "utf8"), options.source, { lang: "ts" });
      const source =
        `const __PRECACHE__ = ${JSON.stringify(["./", ...files.filter((f) => f !== "index.html"), "index.html"])};\n` +
        `const __VERSION__ = ${JSON.stringify(version)};\n` +
        code;
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}
