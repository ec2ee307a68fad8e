// @ts-check
/**
 * Builds an app's service worker with Vite: the worker source (which calls `serveFromPrecache` from
 * `@haki/pwa/service-worker`) becomes its own entry emitted as `sw.js`, and after the bundle is
 * written out the list of every built file (plus `public/`) and a hash of their contents are put
 * into it. A few dozen lines instead of vite-plugin-pwa: workbox-build pulls Babel, Rollup 2 and
 * Terser into every build of a 2-core machine for the same three behaviours (precache, cache
 * first, update on request only).
 *
 * JavaScript with JSDoc types (checked by tsc; the API is in vite.d.ts) rather than TypeScript:
 * Vite loads an app's vite.config.ts with Node, which imports packages as they are and cannot run
 * a .ts file from one.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ENTRY = "sw";

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/**
 * The list of files to precache: "./" (the shell) and every emitted file but the worker itself,
 * source maps and Vite's own manifest, sorted so the same build gives the same worker.
 *
 * @example
 * precacheList(["assets/index-1.js", "sw.js", "index.html"], "sw.js"); // ["./", "assets/index-1.js", "index.html"]
 * @param {readonly string[]} files
 * @param {string} worker
 * @returns {string[]}
 */
export function precacheList(files, worker) {
  const kept = files.filter((f) => f !== worker && !f.endsWith(".map") && !f.startsWith(".vite/"));
  return ["./", ...[...new Set(kept)].sort()];
}

/**
 * @example
 * // vite.config.ts
 * export default defineConfig({ plugins: [preact(), pwaServiceWorker({ entry: "src/sw/sw.ts" })] });
 *
 * @param {import("./vite").ServiceWorkerPluginOptions} options
 * @returns {import("vite").Plugin}
 */
export function pwaServiceWorker(options) {
  const fileName = options.fileName ?? "sw.js";
  let publicDir = "";
  return {
    name: "haki-pwa-service-worker",
    apply: "build",
    enforce: "post",
    config(config) {
      const given = config.build?.rollupOptions?.input;
      const input = typeof given === "object" && !Array.isArray(given) ? given : { index: typeof given === "string" ? given : "index.html" };
      return {
        build: {
          rollupOptions: {
            input: { ...input, [ENTRY]: options.entry },
            output: { entryFileNames: (/** @type {{ name: string }} */ chunk) => (chunk.name === ENTRY ? fileName : "assets/[name]-[hash].js") },
          },
        },
      };
    },
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const sw = bundle[fileName];
      if (!sw || sw.type !== "chunk") throw new Error(`${fileName}: the service worker entry was not built`);
      // A worker registered as a classic script cannot import: it must be one self-contained file.
      if (sw.imports.length > 0 || sw.exports.length > 0) throw new Error(`${fileName} imports or exports chunks (${sw.imports.join(", ")}); keep app code out of the worker`);
      const fromPublic = listFiles(publicDir).map((p) => ({ name: relative(publicDir, p).split("\\").join("/"), bytes: readFileSync(p) }));
      const files = precacheList([...Object.keys(bundle), ...fromPublic.map((f) => f.name)], fileName);
      const hash = createHash("sha256");
      for (const [name, item] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (name !== fileName) hash.update(name).update(item.type === "chunk" ? item.code : item.source);
      }
      for (const f of fromPublic) hash.update(f.name).update(f.bytes);
      sw.code = sw.code.replaceAll("__HAKI_PRECACHE__", JSON.stringify(files)).replaceAll("__HAKI_VERSION__", JSON.stringify(hash.digest("hex").slice(0, 16)));
    },
  };
}
