#!/usr/bin/env bash
# Crash check: every click answered 201 must survive a kill -9 of the server, on SQLite and on PostgreSQL.
# Usage: bench/kill9.sh            (bench/run.sh runs the same check after the throughput runs)
# Env: KILL9_SECONDS (load, default 8), KILL9_AFTER (kill -9 after this many seconds, default 4).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KILL9_SECONDS="${KILL9_SECONDS:-8}"
KILL9_AFTER="${KILL9_AFTER:-4}"
KILL9_LINES=()
KILL9_FAILED=0

# kill9_check PROVIDER: loads the server with clicks, kill -9s it mid-load, restarts it on the same data
# and looks up every acknowledged click_id in the database.
kill9_check() {
  local provider="$1" where
  local name="kill9-$provider"
  local logfile="$LOG_DIR/$name.log" sessions="$LOG_DIR/$name-sessions.txt" acks="$LOG_DIR/$name-acks"
  if [ "$provider" = sqlite ]; then
    where="$OUT_DIR/data/$name"
    rm -rf "$where"; mkdir -p "$where"
  else
    where=offertrace_kill9
    fresh_database "$where"
  fi
  : >"$logfile"
  log "kill -9 check on $provider"
  start_offertrace "$provider" "$where" "$logfile"
  seed_catalogue
  create_sessions 200 "$sessions"

  rm -f "$acks".*
  drive_clicks "$SERVER_PORT" 32 "$KILL9_SECONDS" 201 "$sessions" "$LOG_DIR/$name-result" "$acks" &
  local wrk_pid=$!
  sleep "$KILL9_AFTER"
  kill -KILL "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  log "server killed with -9 under load"
  wait "$wrk_pid" || die "the click load of the kill -9 check failed"

  start_offertrace "$provider" "$where" "$logfile"
  sort -u "$acks".* >"$acks.sorted"
  stored_click_ids "$provider" "$where" | sort -u >"$LOG_DIR/$name-stored.sorted"
  stop_process "$SERVER_PID"

  local acknowledged found missing unexpected
  acknowledged="$(wc -l <"$acks.sorted")"
  found="$(comm -12 "$acks.sorted" "$LOG_DIR/$name-stored.sorted" | wc -l)"
  missing=$((acknowledged - found))
  unexpected="$(result_value "$LOG_DIR/$name-result" unexpected)"
  local line="kill -9 ($provider): $acknowledged acknowledged, $found found, $missing missing"
  echo "$line"
  KILL9_LINES+=("$line")
  if [ "$acknowledged" -eq 0 ]; then
    log "!! no click was acknowledged before the kill: the check proves nothing"; KILL9_FAILED=1
  fi
  if [ "$missing" -ne 0 ]; then
    log "!! $missing acknowledged clicks are missing; the first ones:"
    comm -23 "$acks.sorted" "$LOG_DIR/$name-stored.sorted" | head -n 5 >&2
    KILL9_FAILED=1
  fi
  if [ "$unexpected" -ne 0 ]; then
    log "!! before the kill, $unexpected responses were not 201: $(result_value "$LOG_DIR/$name-result" unexpected_codes)"
  fi
  report_server_log "OfferTrace ($provider, kill -9 check)" "$logfile" >/dev/null
}

stored_click_ids() {
  local provider="$1" where="$2"
  if [ "$provider" = sqlite ]; then
    sqlite3 -cmd ".timeout 10000" "$where/offertrace.db" "SELECT click_id FROM offerwall_clicks_detailed"
  else
    psql_bench -d "$where" -c "SELECT click_id FROM offerwall_clicks_detailed"
  fi
}

main() {
  prepare_dirs
  install_tools
  build_all
  trap cleanup EXIT
  start_postgres
  kill9_check sqlite
  kill9_check postgres
  [ "$KILL9_FAILED" = 0 ] || die "kill -9 check failed"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
