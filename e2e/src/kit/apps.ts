/**
 * The README's start command, for browser tests: `scripts/start-apps.ts` in its own data folder,
 * resolved once the three apps answer, and the console sign-in.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

/**
 * Starts issuer, wallet and verifier (already built) on a data folder; `stop` is Ctrl-C.
 *
 * @example
 * const apps = await startApps({ root, dataDir, log: "artifacts/e2e/apps.log" });
 * await apps.stop();
 */
export async function startApps(args: { root: string; dataDir: string; log: string }): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const out = createWriteStream(args.log);
  const child = spawn(join(args.root, "node_modules", ".bin", "tsx"), ["scripts/start-apps.ts", "--data-dir", args.dataDir, "--no-build"], { cwd: args.root, stdio: ["ignore", "pipe", "pipe"] });
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
    child.on("exit", (code) => fail(new Error(`start-apps.ts ended (exit ${code}); see ${args.log}`)));
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGINT"); // as Ctrl-C: it stops the three apps
      setTimeout(() => {
        child.kill("SIGKILL");
        done();
      }, 10_000).unref();
    });
  return { child, stop };
}

/**
 * Signs in on the issuer's console and waits for the page it lands on (`/` unless told).
 *
 * @example
 * await signIn(page, "http://localhost:3000", "admin@haki.local", password);
 */
export async function signIn(page: Page, issuer: string, email: string, password: string, landing = "/"): Promise<void> {
  await page.goto(`${issuer}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${issuer}${landing}`);
}
