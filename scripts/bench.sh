#!/usr/bin/env bash
# Every benchmark, one after the other; each prints its figures and writes bench/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
for s in $(node -e 'const p=require("./package.json").scripts;console.log(Object.keys(p).filter(k=>k.startsWith("bench:")).join(" "))'); do
  echo "== $s"
  bash scripts/pnpm.sh run "$s"
done
