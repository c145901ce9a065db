#!/usr/bin/env bash
# Reset project data: the current database is kept aside, never deleted, then a fresh one is migrated.
set -euo pipefail
cd "$(dirname "$0")/../.."
db="${DB_PATH:-./data/pos.db}"
if [ -f "$db" ]; then
  aside="$db.reset.$(date +%Y%m%d_%H%M%S)"
  if curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8250}/health" 2>/dev/null; then
    echo "the API is running on port ${PORT:-8250}: stop it first" >&2; exit 1
  fi
  mv "$db" "$aside"
  for suffix in -wal -shm; do [ -f "$db$suffix" ] && mv "$db$suffix" "$aside$suffix"; done
  echo "previous database kept as $aside"
fi
.venv/bin/pos-grocery migrate
