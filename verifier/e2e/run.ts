/**
 * `pnpm --filter @haki/verifier test:e2e`: builds the verifier once (unless --no-build, as
 * scripts/test-e2e.sh passes after building every app), then runs each browser test file
 * (e2e/*.e2e.ts) in turn against that build. Fails when any of them fails.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const verifier = fileURLToPath(new URL("..", import.meta.url));
const files = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".e2e.ts"))
  .sort();
if (!process.argv.includes("--no-build"))
  execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: verifier, stdio: "inherit" });
let failed = 0;
for (const file of files) {
  console.log(`== verifier browser test: ${file}`);
  const run = spawnSync("npx", ["tsx", `e2e/${file}`, "--no-build"], {
    cwd: verifier,
    stdio: "inherit",
  });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
