#!/usr/bin/env bash
# Runs the pinned pnpm on a machine that has only Node and npm (no global pnpm, no corepack setup).
set -euo pipefail
PNPM_VERSION="10.34.9"
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
  exec pnpm "$@"
fi
exec npx -y "pnpm@${PNPM_VERSION}" "$@"
