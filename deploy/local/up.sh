#!/usr/bin/env bash
# The main job on one machine: tools, infrastructure, migrations, the ServiceTitan sandbox
# (seeded, unless ST_* credentials point at a real ServiceTitan), every engine service,
# a first full sync; then prints where everything is and runs until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash deploy/local/ensure-tools.sh
bash deploy/local/ensure-infra.sh

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
  env "$@" node --import tsx "services/$name/src/main.ts" >>"$logs/$name.log" 2>&1 &
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
  say "ServiceTitan sandbox: $ST_API_BASE_URL (tenant $ST_TENANT_ID, ${SANDBOX_SEED_ITEMS:-5000} items)"
else
  say "ServiceTitan: ${ST_API_BASE_URL:-https://api.servicetitan.io} (tenant ${ST_TENANT_ID:-?}); no sandbox started"
fi

say "PostgreSQL: $(printf '%s' "$DATABASE_URL" | sed -E 's#//[^@]*@#//***@#')   NATS: $NATS_URL   logs: $logs"
say "The sync services (api, fetcher, comparator, applier, scheduler) are not built yet: this starts the infrastructure and the sandbox only."
say "Press Ctrl-C to stop."
wait
