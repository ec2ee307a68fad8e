#!/usr/bin/env bash
# The whole test suite, from a fresh clone: install, typecheck, lint, unit tests, browser tests.
# `npm test` runs this; so does .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM="bash scripts/pnpm.sh"

echo "== install"
$PNPM install --frozen-lockfile --reporter=append-only

echo "== prepare (generated code, test services)"
$PNPM run --if-present -r prepare:test

echo "== typecheck"
$PNPM -r --workspace-concurrency=1 --if-present typecheck

echo "== lint"
$PNPM exec eslint . --max-warnings=0

echo "== system packages (Chromium, ffmpeg, poppler-utils from Debian)"
bash scripts/ensure-browser.sh

echo "== unit tests"
# The issuer's database tests run on SQLite and, with HAKI_TEST_PG_URL set, on PostgreSQL too:
# start a throwaway server on 127.0.0.1 unless one is given (HAKI_TEST_PG=0 skips it).
if [ -z "${HAKI_TEST_PG_URL:-}" ] && [ "${HAKI_TEST_PG:-1}" != 0 ]; then
  HAKI_TEST_PG_URL="$(bash scripts/pg-test.sh)"
  export HAKI_TEST_PG_URL
fi
$PNPM exec vitest run

echo "== scale test (two worker processes, one killed mid-job)"
bash scripts/test-scale.sh

if [ -f scripts/test-e2e.sh ]; then
  echo "== browser tests"
  bash scripts/test-e2e.sh
fi
