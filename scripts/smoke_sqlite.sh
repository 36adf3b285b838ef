#!/usr/bin/env bash
# The embedded default must work with no set-up: migrate a fresh SQLite file, serve it the way
# the demo does (gunicorn, DEBUG off), GET / and check a mistyped URL gets the styled 404.
set -euo pipefail
py=.venv/bin/python
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:///$tmp/smoke.sqlite3"
export DJANGO_SETTINGS_MODULE=config.settings.local
unset ELASTICSEARCH_URL STRIPE_SECRET_KEY DJANGO_DEBUG
$py manage.py migrate --noinput --verbosity 0
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers 1 --threads 2 --no-control-socket \
  >"$tmp/server.log" 2>&1 &
server=$!
code=000
for _ in $(seq 1 60); do
  code=$(curl -s -o "$tmp/home.html" -w "%{http_code}" "http://127.0.0.1:$port/" || true)
  [ "$code" = "200" ] && break
  sleep 0.5
done
if [ "$code" != "200" ] || ! grep -q "Ironloop" "$tmp/home.html"; then
  echo "error: SQLite smoke check failed (HTTP $code)" >&2
  tail -30 "$tmp/server.log" >&2
  exit 1
fi
code=$(curl -s -o "$tmp/missing.html" -w "%{http_code}" "http://127.0.0.1:$port/no-such-page/")
if [ "$code" != "404" ] || ! grep -q 'data-error="404"' "$tmp/missing.html" \
  || grep -q "URLconf" "$tmp/missing.html"; then
  echo "error: a mistyped URL did not get the styled 404 page (HTTP $code)" >&2
  exit 1
fi
echo "SQLite smoke check passed: home page 200, styled 404, served by gunicorn"
