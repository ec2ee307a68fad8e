#!/usr/bin/env bash
# Writes one migration for each provider from the difference between the schema as of the last
# migration and prisma/schema.prisma. Usage: bash scripts/diff-migrations.sh <name>
# (Prisma 6's Wasm engine cannot run `migrate dev` here; `migrate diff` works for both providers.)
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: diff-migrations.sh <name>}"
export PRISMA_SCHEMA_ENGINE_BINARY=/nonexistent PRISMA_QUERY_ENGINE_LIBRARY=/nonexistent
node scripts/sync-schema.mjs
for provider in sqlite postgresql; do
  schema=prisma/schema.prisma
  [ "$provider" = postgresql ] && schema=prisma/postgresql/schema.prisma
  dir="prisma/migrations/$provider"
  mkdir -p "$dir"
  n=$(printf '%04d' $(( $(find "$dir" -mindepth 1 -maxdepth 1 -type d | wc -l) + 1 )))
  # The snapshot of the schema each migration was made from is kept beside it, so the next diff
  # starts from there without needing a database.
  last=$(find "$dir" -name schema.prisma | sort | tail -1)
  from=(--from-empty)
  [ -n "$last" ] && from=(--from-schema-datamodel "$last")
  out="$dir/${n}_${name}"
  mkdir -p "$out"
  node_modules/.bin/prisma migrate diff "${from[@]}" --to-schema-datamodel "$schema" --script | grep -v '^Loaded Prisma config' > "$out/migration.sql"
  cp "$schema" "$out/schema.prisma"
  echo "wrote $out/migration.sql"
done
