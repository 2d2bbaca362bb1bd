#!/usr/bin/env bash
# Serve the site with gunicorn and run the background-task worker beside it (make run).
set -euo pipefail
port=${1:-8000}
workers=${2:-2}
cd "$(dirname "$0")/.."
export DEBUG=${DEBUG:-false}
# Printed QR codes and links carry SITE_URL; unset, it is the address served here (otop/settings.py).
export OTOP_SERVED_URL="http://127.0.0.1:${port}"

.venv/bin/python manage.py db_worker --interval 2 &
worker=$!
# The clock: unpaid orders expiring, booking reminders, certification warnings (otop/<app>/schedule.py).
.venv/bin/python manage.py run_periodic &
clock=$!
trap 'kill $worker $clock 2>/dev/null || true' EXIT INT TERM

cat <<TXT

  OTOP Center is running at http://127.0.0.1:${port}/   (English: http://127.0.0.1:${port}/en/)
  Back office: http://127.0.0.1:${port}/backoffice/   Admin: http://127.0.0.1:${port}/admin/
  API docs:    http://127.0.0.1:${port}/api/v1/docs

  Demo sign-ins (password for all: otop-demo-2569):
    manager · staff · cashier · committee1, committee2, committee3 · customer
    producer (or sign in with the phone number 0812345678)

TXT
# gthread: a browser keeping an idle keep-alive connection open holds a thread, not the whole worker, so the
# arbiter never kills a worker with WORKER TIMEOUT while nobody is using the site.
.venv/bin/gunicorn otop.wsgi --bind "127.0.0.1:${port}" --workers "${workers}" --worker-class gthread --threads 4 \
  --access-logfile - --log-level warning
