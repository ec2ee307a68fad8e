#!/usr/bin/env bash
# Scale-out check: two issuance worker processes share one bulk job, one is killed (SIGKILL) in the
# middle, and every beneficiary must end with exactly one credential. On PostgreSQL (pg-boss queue;
# a throwaway server on 127.0.0.1 from scripts/pg-test.sh) and on SQLite (two processes, one file).
#   HAKI_SCALE_SIZE   beneficiaries (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${HAKI_SCALE_SIZE:-20000}"
if [ -z "${HAKI_TEST_PG_URL:-}" ]; then
  HAKI_TEST_PG_URL="$(bash scripts/pg-test.sh)"
  export HAKI_TEST_PG_URL
fi
for db in postgresql sqlite; do
  echo "== scale: kill one of two workers ($db, $SIZE beneficiaries)"
  timeout 600 bash scripts/pnpm.sh exec tsx issuer/bench/kill-worker.scale.ts "$SIZE" --db "$db"
done
