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

# One plain closing line; nothing may be skipped.
summary="$(grep -E '(Passed|Failed)!  - Failed:' "$log" | tail -n 1 || true)"
failed="$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$summary")"
passed="$(sed -nE 's/.*Passed: +([0-9]+),.*/\1/p' <<<"$summary")"
skipped="$(sed -nE 's/.*Skipped: +([0-9]+),.*/\1/p' <<<"$summary")"
rm -f "$log"
if [ -z "$passed" ]; then echo "no test summary found" >&2; exit 1; fi
if [ "${skipped:-0}" != "0" ]; then echo "$skipped tests were skipped: nothing may be skipped" >&2; status=1; fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
