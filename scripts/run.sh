#!/bin/sh
# Installs what the project needs (pnpm, dependencies, generated types), then runs
# `pnpm run <script>`. `check` also makes sure PostgreSQL and Redis are running.
set -eu
cd "$(dirname "$0")/.."

PNPM_VERSION=12.21.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if ! npm install --global "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # No permission for a global install: keep pnpm inside the project.
    npm install --prefix .tools "pnpm@$PNPM_VERSION" >/dev/null
    PATH="$PWD/.tools/node_modules/.bin:$PATH"
    export PATH
  fi
fi

pnpm install --frozen-lockfile

if [ "${1:-}" = "check" ] || [ "${1:-}" = "bench:run" ]; then
  sh scripts/ensure-services.sh
fi

exec pnpm run "$@"
