#!/usr/bin/env bash
# The main job on one machine: tools, the bundles, infrastructure, migrations, the ServiceTitan sandbox
# (seeded, unless ST_* credentials point at a real ServiceTitan), every engine service,
# a first full sync; then prints where everything is and runs until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash deploy/local/ensure-tools.sh
# Every service and job runs as its compiled bundle with plain node (services/<name>/dist/main.js);
# the console is built to the static files the API serves at /admin.
pnpm --silent build --output-logs=errors-only || fail "building the bundles failed; run: pnpm build"
bash deploy/local/ensure-infra.sh

# Streams, durables and the scheduler's KV bucket: the services only bind to them. This local
# NATS is the unauthenticated development server (anyone who reaches it can publish commands);
# deployments run deploy/nats/nats-server.conf, where only the admin user may provision.
pnpm --silent --filter @pricebook/messaging provision || fail "provisioning NATS at $NATS_URL failed"

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

logs=${PRICEBOOK_LOG_DIR:-$ROOT/.logs}
mkdir -p "$logs"
start() { # name, then env assignments
  local name=$1
  shift
  env "$@" node "services/$name/dist/main.js" >>"$logs/$name.log" 2>&1 &
  pids+=("$!")
}
wait_http() { # url, what
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.25; done
  fail "$2 did not start; see $logs"
}

if [ -z "${ST_CLIENT_ID:-}" ]; then
  sandbox_port=${SANDBOX_PORT:-4010}
  start st-sandbox PORT="$sandbox_port" SANDBOX_SEED_ITEMS="${SANDBOX_SEED_ITEMS:-5000}"
  wait_http "http://127.0.0.1:$sandbox_port/_sandbox/health" "the ServiceTitan sandbox"
  export ST_API_BASE_URL="http://127.0.0.1:$sandbox_port" ST_AUTH_URL="http://127.0.0.1:$sandbox_port"
  export ST_TENANT_ID=${SANDBOX_TENANT_ID:-1000001} ST_CLIENT_ID=cid.sandbox ST_CLIENT_SECRET=cs1.sandbox-secret ST_APP_KEY=ak1.sandbox
  # A new sandbox is a new ServiceTitan: export tokens saved against the previous one mean nothing.
  psql "$DATABASE_URL" -qc "update pricebook_sync_state set export_token = null where tenant_id = $ST_TENANT_ID" >/dev/null
  say "ServiceTitan sandbox: $ST_API_BASE_URL (tenant $ST_TENANT_ID, ${SANDBOX_SEED_ITEMS:-5000} items)"
else
  say "ServiceTitan: ${ST_API_BASE_URL:-https://api.servicetitan.io} (tenant ${ST_TENANT_ID:-?}); no sandbox started"
fi

if [ -z "${API_KEYS:-}" ]; then
  admin_key=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("base64url"))')
  export API_KEYS="admin:$admin_key"
  generated_key=1
fi
# The key that seals the credentials of tenants added through /api/tenants: generated once and
# kept beside the database it protects (a new key per run would leave them unreadable). Never
# printed; docs/tenants.md explains rotation.
if [ -z "${TENANT_SECRETS_KEYS:-}" ]; then
  state=${PRICEBOOK_STATE_DIR:-$ROOT/.local}
  keys_file="$state/tenant-secrets-keys"
  if [ ! -s "$keys_file" ]; then
    (umask 077 && mkdir -p "$state" && node -e \
      'process.stdout.write(`local1:${require("node:crypto").randomBytes(32).toString("base64")}`)' \
      >"$keys_file") || fail "could not write $keys_file"
    say "Tenant secrets key: generated into $keys_file (keep it with the database)"
  fi
  TENANT_SECRETS_KEYS=$(cat "$keys_file")
  export TENANT_SECRETS_KEYS
fi
export ST_APPLICATION_GUID=${ST_APPLICATION_GUID:-5b0c1c9e-3f5a-4d1e-9a57-0c1d2e3f4a5b}
export SYNC_SCHEDULER_ENABLED=${SYNC_SCHEDULER_ENABLED:-true}
# This script runs the first full sync itself; an overdue one from the scheduler would collide.
export SYNC_RUN_OVERDUE_ON_START=${SYNC_RUN_OVERDUE_ON_START:-false}
api_port=${PORT:-3001}

# The embedder idles (and says so) unless EMBEDDINGS_URL and EMBEDDINGS_MODEL are set (docs/search.md).
for service in fetcher comparator applier scheduler webhooks embedder; do
  [ -f "services/$service/dist/main.js" ] && start "$service"
done
start api PORT="$api_port"
wait_http "http://127.0.0.1:$api_port/readyz" "the API"
api="http://127.0.0.1:$api_port"
key=${API_KEYS#*:}
key=${key%%,*}

say "First full sync..."
result=$(curl -fsS -X POST "$api/api/sync/pricebook/full?wait=true" \
  -H "authorization: Bearer $key" -H 'content-type: application/json' -d '{}') \
  || fail "the first full sync did not complete; see $logs"
say "First full sync: $result"
say ""
say "PostgreSQL: $(printf '%s' "$DATABASE_URL" | sed -E 's#//[^@]*@#//***@#')   NATS: $NATS_URL   logs: $logs"
say "NATS here has no users (local development only); deployments use deploy/nats/nats-server.conf (docs/operations.md)"
say "API:  $api"
say "Docs: $api/docs"
say "Console: $api/admin (sign in with an API key)"
if [ -z "${EMBEDDINGS_URL:-}" ]; then
  say "Search: full text only; set EMBEDDINGS_URL and EMBEDDINGS_MODEL for search by meaning (docs/search.md)"
fi
if [ -n "${ASSISTANT_URL:-}" ] && [ -n "${ASSISTANT_MODEL:-}" ]; then
  say "Assistant: $ASSISTANT_MODEL at $ASSISTANT_URL (POST $api/api/assistant/chat, MCP at $api/api/mcp; docs/assistant.md)"
fi
if [ -n "${generated_key:-}" ]; then
  say "Admin API key (generated for this run; set API_KEYS to choose your own): $key"
fi
say "Press Ctrl-C to stop."
wait
