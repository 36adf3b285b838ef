#!/usr/bin/env bash
# Runs every check: lint, formatting, migrations, then pytest.
# Starts the protocol-compatible test servers (noida-db for the Elasticsearch 8 API,
# localstripe for Stripe) on free loopback ports unless the caller already provides them.
set -euo pipefail
py=.venv/bin/python
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "${NOIDA_DIR:-}" ]; then .venv/bin/noida-db down --data-dir "$NOIDA_DIR" >/dev/null 2>&1 || true; rm -rf "$NOIDA_DIR"; fi
}
trap cleanup EXIT

free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_http() {
  for _ in $(seq 1 60); do
    # Any HTTP answer counts (localstripe answers 401 without a key).
    if $py -c "import urllib.request,urllib.error,sys
try: urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError: pass" "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "error: $2 did not answer at $1" >&2
  return 1
}

if [ -z "${ELASTICSEARCH_TEST_URL:-}" ]; then
  port=$(free_port)
  NOIDA_DIR=$(mktemp -d)
  .venv/bin/noida-db up --only elasticsearch --elasticsearch-port "$port" --data-dir "$NOIDA_DIR" >/dev/null 2>&1
  export ELASTICSEARCH_TEST_URL="http://127.0.0.1:$port"
  wait_http "$ELASTICSEARCH_TEST_URL" "noida-db (Elasticsearch 8 API)"
fi
if [ -z "${STRIPE_TEST_API_BASE:-}" ]; then
  port=$(free_port)
  # localstripe's own launcher binds every interface; serve its app on loopback only.
  $py -c "import sys; from aiohttp import web; from localstripe.server import app; web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), print=None)" "$port" >/dev/null 2>&1 &
  pids+=($!)
  export STRIPE_TEST_API_BASE="http://127.0.0.1:$port"
  wait_http "$STRIPE_TEST_API_BASE/v1/customers" "localstripe"
fi
echo "Elasticsearch API: $ELASTICSEARCH_TEST_URL  Stripe API: $STRIPE_TEST_API_BASE"
echo "Database: ${DATABASE_URL:-sqlite (embedded default)}"

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
DJANGO_SETTINGS_MODULE=config.settings.test $py manage.py makemigrations --check --dry-run
$py -m pytest "$@"
