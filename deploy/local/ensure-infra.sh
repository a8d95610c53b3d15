#!/usr/bin/env bash
# Makes sure the infrastructure the engine needs is there: PostgreSQL (DATABASE_URL) with
# pgvector, NATS with JetStream (NATS_URL), the database itself and its migrations.
# Starts the local servers when they are installed but stopped. Idempotent and quiet
# when all is well; one clear line naming the fix when not.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

is_local() { [[ "$1" == *"127.0.0.1"* || "$1" == *"localhost"* ]]; }
pg_up() { psql "$(admin_url)" -tAc 'select 1' >/dev/null 2>&1; }

command -v psql >/dev/null || fail "psql is missing; install the PostgreSQL client (apt-get install postgresql-client)"
if ! pg_up && is_local "$DATABASE_URL" && command -v pg_ctlcluster >/dev/null; then
  for version in /etc/postgresql/*; do
    pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start >/dev/null 2>&1 || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 0.5; done
fi
pg_up || fail "PostgreSQL is not reachable at DATABASE_URL ($(admin_url | sed -E 's#//[^@]*@#//***@#')); start it or set DATABASE_URL"

DATABASE_URL="$(admin_url)" bash "$(dirname "$0")/ensure-pgvector.sh"

nats_up() { pnpm --silent exec tsx deploy/local/check-nats.ts >/dev/null 2>&1; }
if ! nats_up && is_local "$NATS_URL" && command -v nats-server >/dev/null; then
  port=$(printf '%s' "$NATS_URL" | sed -E 's#^.*:([0-9]+).*$#\1#')
  store=${NATS_STORE_DIR:-/var/lib/nats-server}
  mkdir -p "$store" 2>/dev/null || store=$(mktemp -d)
  nohup nats-server -a 127.0.0.1 -p "$port" -js -sd "$store" >/dev/null 2>&1 &
  for _ in $(seq 1 40); do nats_up && break; sleep 0.25; done
fi
nats_up || fail "NATS with JetStream is not reachable at NATS_URL ($NATS_URL); start nats-server -js or set NATS_URL"

name=$(db_name)
exists=$(psql "$(admin_url)" -tAc "select 1 from pg_database where datname = '$name'")
[ "$exists" = "1" ] || psql "$(admin_url)" -qc "create database \"$name\"" >/dev/null
if grep -q '"migrate"' packages/db/package.json; then
  # The migration runs as its bundle: build it first (turbo skips it when nothing changed).
  pnpm --silent build --filter @pricebook/db --output-logs=errors-only >/dev/null || fail "building the migration failed; run: pnpm build"
  pnpm --silent --filter @pricebook/db migrate >/dev/null || fail "migrations failed; run: pnpm --filter @pricebook/db migrate"
fi
