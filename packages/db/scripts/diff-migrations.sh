#!/usr/bin/env bash
# Writes one migration for each provider from the difference between the schema as of the last
# migration (prisma/migrations/schema.prisma, the one snapshot kept) and prisma/schema.prisma, then
# moves the snapshot on. Usage: bash scripts/diff-migrations.sh <name>
# (Prisma 6's Wasm engine cannot run `migrate dev` here; `migrate diff` works for both providers.)
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: diff-migrations.sh <name>}"
export PRISMA_SCHEMA_ENGINE_BINARY=/nonexistent PRISMA_QUERY_ENGINE_LIBRARY=/nonexistent
snapshot=prisma/migrations/schema.prisma
SNAPSHOT_HEADER="// SNAPSHOT of prisma/schema.prisma as of the last migration (scripts/diff-migrations.sh writes it): do not edit."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node scripts/sync-schema.mjs
# The PostgreSQL side of the snapshot is derived the same way as the PostgreSQL schema itself.
[ -f "$snapshot" ] && node scripts/sync-schema.mjs "$snapshot" "$tmp/last-postgresql.prisma"
for provider in sqlite postgresql; do
  schema=prisma/schema.prisma last="$snapshot"
  if [ "$provider" = postgresql ]; then schema=prisma/postgresql/schema.prisma last="$tmp/last-postgresql.prisma"; fi
  from=(--from-empty)
  [ -f "$last" ] && from=(--from-schema-datamodel "$last")
  node_modules/.bin/prisma migrate diff "${from[@]}" --to-schema-datamodel "$schema" --script | grep -v '^Loaded Prisma config' > "$tmp/$provider.sql"
  if [ -z "$(grep -v '^-- This is an empty migration' "$tmp/$provider.sql" | tr -d '[:space:]')" ]; then
    echo "no change in prisma/schema.prisma since the last migration: nothing written" >&2
    exit 1
  fi
done
for provider in sqlite postgresql; do
  dir="prisma/migrations/$provider"
  n=$(printf '%04d' $(( $(find "$dir" -mindepth 1 -maxdepth 1 -type d | wc -l) + 1 )))
  mkdir -p "$dir/${n}_${name}"
  cp "$tmp/$provider.sql" "$dir/${n}_${name}/migration.sql"
  echo "wrote $dir/${n}_${name}/migration.sql"
done
{ echo "$SNAPSHOT_HEADER"; cat prisma/schema.prisma; } > "$snapshot"
echo "moved the snapshot on: $snapshot"
