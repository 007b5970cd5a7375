#!/usr/bin/env bash
# Runs every test, on SQLite and on a real PostgreSQL server that this script installs and starts when missing.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh
pg_start 55432
trap pg_stop EXIT
dotnet test OfferTrace.slnx -c Release --logger "console;verbosity=normal" "$@"
