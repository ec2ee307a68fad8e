/**
 * `pnpm --filter @haki/wallet test:e2e`: builds the wallet, then runs the browser tests
 * (e2e/*.e2e.ts) against it in Debian's Chromium. Each test serves dist/ itself on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const wallet = fileURLToPath(new URL("..", import.meta.url));
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(`No Chromium at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: wallet, stdio: "inherit" });
try {
  if (!process.argv.includes("--no-build")) run("npx", ["vite", "build", "--logLevel", "warn"]);
  run("npx", ["vitest", "run", "--config", "e2e/vitest.e2e.config.ts"]);
} catch {
  process.exit(1);
}
