#!/usr/bin/env bash
# The main job (`npm start`): install with the pinned pnpm, then scripts/start-apps.ts migrates the
# embedded SQLite database (.data/haki.db), seeds the demo data, builds the apps when their sources
# changed, and starts issuer (3000), wallet (3001) and verifier (3002) on localhost, printing the
# URLs and demo logins. Re-running keeps the data; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile --reporter=append-only
exec bash scripts/pnpm.sh exec tsx scripts/start-apps.ts "$@"
