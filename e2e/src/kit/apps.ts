/**
 * The three apps as the browser stories start them: `npm start`'s own script
 * (scripts/start-apps.ts) with a data folder of the story's own, demo data included. Ports move
 * with HAKI_PORT_BASE (issuer = base, wallet = base + 1, verifier = base + 2).
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

export const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const PORT_BASE = Number(process.env.HAKI_PORT_BASE ?? 3000);
export const URLS = {
  issuer: `http://localhost:${PORT_BASE}`,
  wallet: `http://localhost:${PORT_BASE + 1}`,
  verifier: `http://localhost:${PORT_BASE + 2}`,
} as const;

/**
 * Builds what changed (`--build-only`); throws when a build fails.
 *
 * @example
 * buildApps(dataDir);
 */
export function buildApps(dataDir: string): void {
  const build = spawnSync(TSX, ["scripts/start-apps.ts", "--data-dir", dataDir, "--build-only"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("build failed");
}

/**
 * The README's start command after install, in its own data folder; resolves once all three answer.
 * Its output goes to `<logDir>/apps.log`.
 *
 * @example
 * const apps = await startApps(dataDir, "artifacts/e2e");
 * await apps.stop();
 */
export async function startApps(dataDir: string, logDir: string): Promise<{ stop: () => Promise<void> }> {
  const out = createWriteStream(join(logDir, "apps.log"));
  const child = spawn(TSX, ["scripts/start-apps.ts", "--data-dir", dataDir, "--no-build"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.pipe(out);
  await new Promise<void>((ready, fail) => {
    let seen = "";
    child.stdout?.on("data", (d: Buffer) => {
      out.write(d);
      if (!seen.includes("Haki is running")) {
        seen += d.toString();
        if (seen.includes("Haki is running")) ready();
      }
    });
    child.on("exit", (code) => fail(new Error(`start-apps.ts ended (exit ${code}); see ${join(logDir, "apps.log")}`)));
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once("exit", () => done());
      // As Ctrl-C: it stops the three apps, killing what has not stopped after 5 s. Killing it
      // instead would leave the apps (each in its own process group) holding their ports.
      child.kill("SIGINT");
      setTimeout(() => {
        child.kill("SIGKILL");
        done();
      }, 20_000).unref();
    });
  return { stop };
}

/**
 * A story's start: builds what changed, starts `npm start`'s apps on the fresh data folder
 * `dataDir` (demo data included; output in `<logDir>/apps.log`) and reads the demo users' password.
 *
 * @example
 * const { apps, password } = await startDemoApps(join(work, "data"), "artifacts/e2e", "journey");
 */
export async function startDemoApps(dataDir: string, logDir: string, story: string): Promise<{ apps: { stop: () => Promise<void> }; password: string }> {
  console.log(`${story}: building the apps (only what changed)`);
  buildApps(dataDir);
  console.log(`${story}: npm start's apps, fresh data folder (demo data included)`);
  const apps = await startApps(dataDir, logDir);
  return { apps, password: demoPassword(dataDir) };
}

/** The demo users' password, made by the start command into `<dataDir>/demo.env`. */
export function demoPassword(dataDir: string): string {
  return /^HAKI_SEED_PASSWORD=(.+)$/m.exec(readFileSync(join(dataDir, "demo.env"), "utf8"))?.[1] ?? "";
}

/**
 * Signs in to the issuer's console.
 *
 * @example
 * await signIn(page, "officer@haki.local", password);
 * await signIn(page, "officer@haki.local", oneTimePassword, "/password"); // must choose a new one
 */
export async function signIn(page: Page, email: string, password: string, landing = "/"): Promise<void> {
  await page.goto(`${URLS.issuer}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${URLS.issuer}${landing}`);
}
