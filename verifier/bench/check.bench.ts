/**
 * Verifier benchmark (issue 6): time from a decoded QR payload (the text the camera decoder
 * returns) to the answer, median over 1,000 proofs, in Chromium, on the app's real path:
 * decodeProof + checkProof with IndexedDB for replay ids and balances. Target < 10 ms.
 * Also measures the first-load gzipped JS through scripts/bundle-size.ts (target <= 250 KB).
 * Writes bench/results/verifier.json (check_median_ms, first_load_gzip_bytes, ...).
 *
 *   pnpm bench:verifier        (from the repository root)
 */
import { execFileSync } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { launchChromium } from "@haki/e2e/browser";
import { encodeProof } from "@haki/qr/codec";
import { createTestWorld } from "@haki/redemption/testing";
import { build } from "vite";
import type { BenchInput, BenchOutput } from "./page";

const N = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const resultsFile = join(repo, "bench/results/verifier.json");

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};

async function main(): Promise<void> {
  // 1. First-load size (builds the app; writes bench/results/verifier.json, merged below).
  execFileSync("npx", ["tsx", "scripts/bundle-size.ts", "verifier"], {
    cwd: repo,
    stdio: "inherit",
  });
  const sizes = JSON.parse(readFileSync(resultsFile, "utf8")) as {
    first_load_gzip_bytes: number;
  } & Record<string, unknown>;

  // 2. Proofs: 1,000 phone presentations of 1,000 different entitlements, as a service point sees them.
  const now = new Date();
  const world = await createTestWorld({ now });
  world.revoked.add(99_999);
  const holders = await Promise.all(Array.from({ length: 20 }, () => generateKeyPair()));
  const make = async (i: number) => {
    const holder = holders[i % holders.length]!;
    const vc = await world.issue({
      index: i,
      holder,
      subject: { beneficiary: `B-${String(i).padStart(5, "0")}` },
    });
    return encodeProof(await signPresentation(vc, holder, { now }));
  };
  const proofs = await Promise.all(Array.from({ length: N }, (_, i) => make(i + 10)));
  const warmup = await Promise.all(Array.from({ length: 30 }, (_, i) => make(i + 5000)));

  // 3. The check path bundled for the browser, served on 127.0.0.1.
  const out = mkdtempSync(join(tmpdir(), "haki-verifier-bench-"));
  await build({
    root: here,
    configFile: false,
    logLevel: "warn",
    base: "./",
    build: {
      outDir: out,
      emptyOutDir: true,
      target: "es2022",
      rollupOptions: { input: join(here, "page.html") },
    },
  });
  const server = createServer((req, res) => {
    const path = join(out, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!path.startsWith(out) || !existsSync(path) || !statSync(path).isFile())
      return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page.html`;

  const browser = await launchChromium();
  let result: BenchOutput;
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => "runBench" in window);
    const input: BenchInput = {
      bundleJws: world.bundleJws,
      pinnedThumbprint: world.setup.bundleKey,
      servicePoint: world.servicePoint.id,
      statusLists: await world.statusListJwts(),
      proofs,
      warmup,
    };
    result = await page.evaluate(
      (i) =>
        (window as unknown as { runBench: (x: BenchInput) => Promise<BenchOutput> }).runBench(i),
      input,
    );
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }

  if (result.outcomes.green !== N)
    throw new Error(`expected ${N} green answers, got ${JSON.stringify(result.outcomes)}`);
  const sorted = [...result.times].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const figures = {
    check_median_ms: round(((sorted[N / 2 - 1] ?? NaN) + (sorted[N / 2] ?? NaN)) / 2),
    check_p95_ms: round(at(0.95)),
    check_max_ms: round(sorted[sorted.length - 1] ?? NaN),
    checks: N,
    check_target_ms: 10,
    first_load_target_bytes: 250_000,
    browser: "Debian Chromium (headless), playwright-core",
  };
  const merged = { ...sizes, ...figures, measured_at: new Date().toISOString() };
  writeFileSync(resultsFile, JSON.stringify(merged, null, 2) + "\n");
  console.log(
    `verifier check: median ${figures.check_median_ms} ms, p95 ${figures.check_p95_ms} ms over ${N} proofs (target < 10 ms); ` +
      `first load ${sizes.first_load_gzip_bytes} bytes gzipped JS (target <= 250000)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
