#!/usr/bin/env bash
# Serves the site with the task worker and the scheduler running beside it; Ctrl-C stops all.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
$py manage.py db_worker --queue-name "*" --no-reload &
worker=$!
$py manage.py run_scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
echo "Ironloop is running at http://$host:$port (task worker pid $worker, scheduler pid $scheduler)"
$py manage.py runserver "$host:$port" --noreload
