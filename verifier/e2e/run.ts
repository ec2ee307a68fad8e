/**
 * `pnpm --filter @haki/verifier test:e2e`: builds the verifier (unless --no-build: scripts/test-e2e.sh
 * builds every app once), then runs its browser stories one after the other (they share the
 * verifier's port): the check, hand-over and sync story, then the phone story.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = (args: string[]) => execFileSync("npx", ["tsx", ...args], { cwd: root, stdio: "inherit" });
let failed = false;
try {
  run(["e2e/verifier.e2e.ts", ...(process.argv.includes("--no-build") ? ["--no-build"] : [])]);
} catch {
  failed = true;
}
try {
  run(["e2e/phone.e2e.ts"]);
} catch {
  failed = true;
}
process.exit(failed ? 1 : 0);
