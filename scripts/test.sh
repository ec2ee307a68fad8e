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

echo "== unit tests"
$PNPM exec vitest run

if [ -f scripts/test-e2e.sh ]; then
  echo "== browser tests"
  bash scripts/test-e2e.sh
fi
