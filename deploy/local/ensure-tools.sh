#!/usr/bin/env bash
# Installs the workspace's tools and dependencies: pnpm at the pinned version, then
# every package from the lockfile. Quiet when all is well.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

command -v node >/dev/null || fail "Node.js 20 is required (https://nodejs.org); install it and rerun"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || fail "Node.js $(node --version) is too old; install Node.js 20 or newer"
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install --global --silent "pnpm@$PNPM_VERSION" >/dev/null 2>&1 \
    || fail "could not install pnpm@$PNPM_VERSION with npm; run: npm install -g pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile --reporter=silent >/dev/null \
  || fail "pnpm install failed; run: pnpm install --frozen-lockfile to see why"
