#!/usr/bin/env bash
# Browser tests: Debian's Chromium driven through playwright-core. The three apps are built once
# here (scripts/start-apps.ts --build-only: only what changed) and every `test:e2e` found in
# issuer, wallet, verifier and e2e reuses the builds. Screenshots land in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-browser.sh
echo "== build issuer, wallet and verifier (once, reused by every browser test)"
bash scripts/pnpm.sh exec tsx scripts/start-apps.ts --build-only
for app in issuer wallet verifier e2e; do
  [ -f "$app/package.json" ] || continue
  if node -e "process.exit(require('./$app/package.json').scripts?.['test:e2e'] ? 0 : 1)"; then
    echo "== browser tests: $app"
    bash scripts/pnpm.sh --dir "$app" run test:e2e --no-build
  fi
done
