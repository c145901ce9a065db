#!/usr/bin/env bash
# Start the whole system on one machine: API (8250), SPA (8080), simulated devices (8260), demo data.
# Ctrl-C (or SIGTERM) stops every process this script started, by PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
POS=.venv/bin/pos-grocery
pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
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
