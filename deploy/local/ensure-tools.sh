#!/usr/bin/env bash
# Installs the workspace's tools and dependencies: pnpm at the pinned version, every package from
# the lockfile, and Debian's Chromium for the console's browser tests. Quiet when all is well.
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
# The browser tests drive the system's Chromium; nothing may download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  command -v apt-get >/dev/null \
    || fail "Chromium is required for the console's browser tests: install it, or set CHROMIUM_PATH"
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  { $as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium; } >/dev/null \
    || fail "could not install Chromium; run: apt-get install chromium"
fi
pnpm install --frozen-lockfile --reporter=silent >/dev/null \
  || fail "pnpm install failed; run: pnpm install --frozen-lockfile to see why"
