#!/usr/bin/env bash
# Serves the site like production: gunicorn (config.wsgi) with the task worker and the scheduler
# beside it; Ctrl-C (or TERM) stops all three. DEBUG stays off unless DJANGO_DEBUG=1; static
# files come from WhiteNoise (run collectstatic first, as `make demo` does), uploads from the
# SERVE_MEDIA route. Absolute URLs built outside a request (e-mails, tasks) use SITE_URL.
set -euo pipefail
host=${1:-${HOST:-127.0.0.1}}
port=${2:-${PORT:-8000}}
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
export SITE_URL=${SITE_URL:-http://$host:$port}
workers=${WEB_CONCURRENCY:-2}
threads=${GUNICORN_THREADS:-4}
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
$py manage.py db_worker --queue-name "*" --no-reload &
pids+=($!)
$py manage.py run_scheduler &
pids+=($!)
.venv/bin/gunicorn config.wsgi:application --bind "$host:$port" --workers "$workers" \
  --threads "$threads" --access-logfile - --graceful-timeout 10 --no-control-socket &
pids+=($!)
echo "Ironloop is running at $SITE_URL (gunicorn ${workers}x${threads} pid ${pids[2]}," \
  "task worker pid ${pids[0]}, scheduler pid ${pids[1]}); Ctrl-C stops all"
# Whichever stops first (or Ctrl-C) ends the others.
wait -n "${pids[@]}" || true
