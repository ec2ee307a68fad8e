/**
 * `pnpm --dir issuer test:e2e`: builds the issuer unless `--no-build` (scripts/test-e2e.sh builds
 * once for every app), then runs the tests against the build (e2e/*.e2e.ts).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const issuer = fileURLToPath(new URL("..", import.meta.url));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: issuer, stdio: "inherit" });
try {
  if (!process.argv.includes("--no-build")) run("npx", ["next", "build"]);
  run("npx", ["vitest", "run", "--config", "e2e/vitest.e2e.config.ts"]);
} catch {
  process.exit(1);
}
