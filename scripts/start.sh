#!/usr/bin/env bash
# The main job: install, migrate the embedded SQLite database, seed demo data, build and start the
# issuer, wallet and verifier. `npm start` runs this. Re-running keeps existing data.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM="bash scripts/pnpm.sh"
$PNPM install --frozen-lockfile --reporter=append-only
if [ -f scripts/start-apps.ts ]; then
  exec $PNPM exec tsx scripts/start-apps.ts
fi
echo "The apps are not built yet; try: npm run haki -- --help"
