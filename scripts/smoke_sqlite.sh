#!/usr/bin/env bash
# The embedded default must work with no set-up: migrate a fresh SQLite file, serve, GET /.
set -euo pipefail
py=.venv/bin/python
tmp=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:///$tmp/smoke.sqlite3"
unset ELASTICSEARCH_URL STRIPE_SECRET_KEY
$py manage.py migrate --noinput --verbosity 0
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
$py manage.py runserver "127.0.0.1:$port" --noreload >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 40); do
  code=$(curl -s -o "$tmp/home.html" -w "%{http_code}" "http://127.0.0.1:$port/" || true)
  [ "$code" = "200" ] && break
  sleep 0.5
done
if [ "$code" != "200" ] || ! grep -q "Ironloop" "$tmp/home.html"; then
  echo "error: SQLite smoke check failed (HTTP $code)" >&2
  tail -30 "$tmp/server.log" >&2
  exit 1
fi
echo "SQLite smoke check passed: home page 200"
