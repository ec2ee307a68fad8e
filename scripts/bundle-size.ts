/**
 * First-load size of a built PWA: the gzipped JavaScript a phone must download before the app can
 * start (the entry chunks and their static imports), not the chunks loaded later on demand.
 *
 *   tsx scripts/bundle-size.ts wallet [verifier ...] [--no-build]
 *
 * Builds each app (`pnpm --filter ./<app> build`) unless --no-build, reads Vite's manifest
 * (<app>/dist/.vite/manifest.json, `build.manifest: true`), gzips each file at level 9, prints the
 * figures and writes bench/results/<app>.json with `first_load_gzip_bytes`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const build = !args.includes("--no-build");
const apps = args.filter((a) => !a.startsWith("--"));
if (apps.length === 0) {
  console.error("usage: tsx scripts/bundle-size.ts <app dir> [...] [--no-build]");
  process.exit(2);
}

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

for (const app of apps) {
  const dir = join(root, app);
  if (build) execFileSync("bash", ["scripts/pnpm.sh", "--filter", `./${app}`, "run", "build"], { cwd: root, stdio: "inherit" });
  const manifestPath = join(dir, "dist/.vite/manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} missing: set build.manifest: true in ${app}/vite.config.ts`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, ManifestChunk>;

  const first = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || first.has(chunk.file)) return;
    first.add(chunk.file);
    chunk.css?.forEach((c) => css.add(c));
    chunk.imports?.forEach(visit);
  };
  // The service worker (sw.js) is an entry too, but the page never loads it as a script.
  Object.entries(manifest)
    .filter(([, c]) => c.isEntry && c.file !== "sw.js")
    .forEach(([k]) => visit(k));
  const all = new Set(Object.values(manifest).map((c) => c.file));
  const lazy = [...all].filter((f) => f.endsWith(".js") && f !== "sw.js" && !first.has(f));

  const files = Object.fromEntries([...first].map((f) => [f, gz(join(dir, "dist", f))]));
  const firstLoad = Object.values(files).reduce((a, b) => a + b, 0);
  const lazyFiles = Object.fromEntries(lazy.map((f) => [f, gz(join(dir, "dist", f))]));
  const result = {
    app,
    first_load_gzip_bytes: firstLoad,
    first_load_files: files,
    first_load_css_gzip_bytes: [...css].reduce((a, f) => a + gz(join(dir, "dist", f)), 0),
    lazy_chunks_gzip_bytes: lazyFiles,
    measured_at: new Date().toISOString(),
  };
  mkdirSync(join(root, "bench/results"), { recursive: true });
  // Merge: other benchmarks (the verifier's check timing) write to the same file.
  const out = join(root, `bench/results/${app}.json`);
  const previous: unknown = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {};
  const merged = { ...(typeof previous === "object" && previous !== null ? previous : {}), ...result };
  writeFileSync(out, JSON.stringify(merged, null, 2) + "\n");
  console.log(`${app}: first load ${(firstLoad / 1024).toFixed(1)} KiB gzipped JS (${first.size} file(s)); lazy chunks:`);
  for (const [f, n] of Object.entries(lazyFiles)) console.log(`  ${f}: ${(n / 1024).toFixed(1)} KiB`);
}
