#!/usr/bin/env bash
# The production stack on this machine (`make serve`): gunicorn with WEB_CONCURRENCY processes on
# HOST:PORT, and JOB_WORKERS job workers, against DATABASE_URL (PostgreSQL). SIGTERM or Ctrl-C
# stops them all (each finishes what it is doing); when one of them stops, the others are stopped.
set -uo pipefail
cd "$(dirname "$0")/.."
export APP_CONFIG="${APP_CONFIG:-production}"
pids=()
stop() {
  trap - TERM INT
  kill -TERM "${pids[@]}" 2>/dev/null
  wait
}
trap 'stop; exit 0' TERM INT

.venv/bin/gunicorn --config deploy/gunicorn.conf.py wsgi:app &
pids+=($!)
for ((n = 0; n < ${JOB_WORKERS:-1}; n++)); do
  .venv/bin/flask --app wsgi jobs worker &
  pids+=($!)
done
wait -n
status=$?
echo "serve: a process of the stack stopped (status $status); stopping the others" >&2
stop
exit "$status"
