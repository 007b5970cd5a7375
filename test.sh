#!/usr/bin/env bash
# Runs every test, on SQLite and on a real PostgreSQL server that this script installs and starts when missing.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh
pg_start 55432
trap pg_stop EXIT

log="$(mktemp)"
status=0
dotnet test OfferTrace.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line from the runner's summary block; nothing may be skipped.
count() { { grep -E "^\s+$1: [0-9]+" "$log" || true; } | tail -n 1 | sed -E 's/[^0-9]*([0-9]+).*/\1/'; }
passed="$(count Passed)"; failed="$(count Failed)"; skipped="$(count Skipped)"
rm -f "$log"
if [ -z "$passed" ]; then echo "no test summary found" >&2; exit 1; fi
if [ "${skipped:-0}" != "0" ]; then echo "$skipped tests were skipped: nothing may be skipped" >&2; status=1; fi
echo "tests: ${passed} passed, ${failed:-0} failed"
exit "$status"
