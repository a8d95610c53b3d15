#!/usr/bin/env bash
# The whole test suite from a fresh machine: tools, infrastructure, lint, typecheck, tests.
# Tests create their own databases on DATABASE_URL's server and start their own
# JetStream servers, so nothing here touches the main database's data.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/local/ensure-tools.sh
bash deploy/local/ensure-infra.sh
pnpm --silent lint
pnpm --silent typecheck --output-logs=errors-only
pnpm --silent test "$@"
