#!/usr/bin/env bash
# Browser tests: each app with a `test:e2e` script builds and serves itself on 127.0.0.1 and drives
# Debian's Chromium through playwright-core. Screenshots land in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-browser.sh
for app in issuer wallet verifier e2e; do
  [ -f "$app/package.json" ] || continue
  if node -e "process.exit(require('./$app/package.json').scripts?.['test:e2e'] ? 0 : 1)"; then
    echo "== browser tests: $app"
    bash scripts/pnpm.sh --dir "$app" run test:e2e
  fi
done
