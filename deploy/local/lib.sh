# Shared helpers for the local scripts. Sourced, not run.
# shellcheck shell=bash

PNPM_VERSION=12.4.2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/pricebook}"
export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"

say() { printf '%s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

# The server's admin database URL: same server as DATABASE_URL, database "postgres".
admin_url() { printf '%s' "$DATABASE_URL" | sed -E 's#/[^/?]*(\?|$)#/postgres\1#'; }
db_name() { printf '%s' "$DATABASE_URL" | sed -E 's#^.*/([^/?]+)(\?.*)?$#\1#'; }
