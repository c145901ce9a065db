#!/usr/bin/env bash
# Start the whole system on one machine: API (8250), SPA (8080), simulated devices (8260), demo data.
# Ctrl-C (or SIGTERM) stops every process this script started, by PID.
#
# Each server runs in a process group of its own (job control, `set -m`), so a Ctrl-C or a signal to this
# script's group reaches the script alone and `stop` sends each server exactly one SIGTERM. Two signals in a
# row (the group's, then the trap's) can deadlock granian's main process: its signal handler sets a
# threading.Event, and a second signal arriving inside that handler waits forever on the Event's lock (seen
# with py-spy on `pos-grocery web` and `devices`). A server still running 10 s after its SIGTERM is killed with
# its workers (SIGKILL to its group).
set -euo pipefail
set -m
cd "$(dirname "$0")/../.."
POS=.venv/bin/pos-grocery
pids=()
STOP_WAIT_TENTHS=100
stop() {
  # Already stopping: further signals (make forwards its SIGTERM to this script too) must not cut this short.
  trap '' INT TERM
  trap - EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 "$STOP_WAIT_TENTHS"); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && { echo "run-all: $pid did not stop in 10 s: SIGKILL" >&2; kill -KILL -- "-$pid" 2>/dev/null || true; }
  done
  return 0
}
trap stop EXIT INT TERM

if [ "${SKIP_MIGRATIONS:-false}" != "true" ]; then "$POS" migrate; fi
if [ -z "${NO_SEED:-}" ] && "$POS" seed --help >/dev/null 2>&1; then
  "$POS" seed --demo --if-empty
fi
# Demo lanes and users with random PINs, printed once (a no-op once any user exists; never in production).
if [ -z "${NO_SEED:-}" ] && [ "${APP_ENV:-development}" != "production" ]; then
  "$POS" seed-users --demo --if-empty || echo "demo users not seeded (see above)"
fi
if "$POS" devices --help >/dev/null 2>&1; then
  DEVICE_MODE="${DEVICE_MODE:-simulated}" "$POS" devices & pids+=($!)
  # The API prints receipts there (DEVICE_PRINT_ON_SALE defaults to true) and checks it at start-up: wait for it.
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:${DEVICE_PORT:-8260}/health" 2>/dev/null && break; sleep 0.1
  done
fi
"$POS" serve & pids+=($!)
if [ -n "${DEV_CLIENT:-}" ]; then
  (cd frontend && exec npm run dev -- --host 127.0.0.1) & pids+=($!)
else
  "$POS" web & pids+=($!)
fi
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8250}/health" 2>/dev/null && break; sleep 0.1; done
echo "POS Grocery is up: API http://127.0.0.1:${PORT:-8250}  SPA http://127.0.0.1:${WEB_PORT:-8080}  (Ctrl-C stops)"
wait -n "${pids[@]}" || true
