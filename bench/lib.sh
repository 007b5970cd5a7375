#!/usr/bin/env bash
# Shared by bench/run.sh and bench/kill9.sh: build, start and stop servers, PostgreSQL, seeding, sessions.
# Everything listens on and targets 127.0.0.1 only.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
OUT_DIR="$BENCH_DIR/out"
RESULTS_DIR="$BENCH_DIR/results"
LOG_DIR="$RESULTS_DIR/logs"

HOST=127.0.0.1
SERVER_PORT=5090
BARE_PORT=5091
PG_BENCH_PORT=55433
PG_BASE="Host=$HOST;Port=$PG_BENCH_PORT;Username=postgres"
ADMIN_KEY=benchkey
OFFERS=100
SLOW_BATCH_MS="${BENCH_SLOW_BATCH_MS:-50}"  # a batch this slow is logged by the server and named under its run
LOG_TIME_FORMAT="yyyy-MM-dd HH:mm:ss.fff "  # the server's log time stamps, shaped as run_window_start's (UTC)

STARTED_PIDS=()
PG_STARTED=0

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }

# Installs Debian packages whose command is missing: apt_need COMMAND PACKAGE ...
APT_UPDATED=0
apt_need() {
  local command="$1" package="$2"
  command -v "$command" >/dev/null 2>&1 && return 0
  log "installing $package"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -q >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$package" >/dev/null
}

install_tools() {
  apt_need wrk wrk
  apt_need sqlite3 sqlite3
  apt_need curl curl
}

# Release builds into bench/out; --artifacts-path keeps their bin/obj away from src/ (a build may be running there),
# and no build server is left running to take CPU from the measurements.
build_all() {
  log "publishing OfferTrace and BareKestrel (Release)"
  local project name
  for project in src/OfferTrace/OfferTrace.csproj bench/BareKestrel/BareKestrel.csproj; do
    name="$(basename "$project" .csproj)"
    dotnet publish "$REPO_DIR/$project" -c Release --nologo -v quiet --disable-build-servers \
      --artifacts-path "$OUT_DIR/artifacts" -o "$OUT_DIR/publish/$name" >"$LOG_DIR/build-$name.log" 2>&1 \
      || { cat "$LOG_DIR/build-$name.log" >&2; die "build of $project failed"; }
  done
}

prepare_dirs() {
  mkdir -p "$OUT_DIR" "$RESULTS_DIR" "$LOG_DIR"
}

# --- processes --------------------------------------------------------------------------------------

port_in_use() { curl -s -o /dev/null --max-time 1 "http://$HOST:$1/" ; }

# start_process NAME PORT LOG -- COMMAND...: starts it in the background and sets STARTED_PID.
start_process() {
  local name="$1" port="$2" logfile="$3"; shift 4
  port_in_use "$port" && die "something already listens on $HOST:$port; stop it first"
  "$@" >>"$logfile" 2>&1 &
  STARTED_PID=$!
  STARTED_PIDS+=("$STARTED_PID")
  log "$name started (pid $STARTED_PID, log ${logfile#"$REPO_DIR"/})"
}

# wait_ready URL PID [STATUS]: waits until URL answers STATUS (200 by default).
wait_ready() {
  local url="$1" pid="$2" want="${3:-200}" i
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || die "process $pid exited before $url answered"
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url")" = "$want" ] && return 0
    sleep 0.5
  done
  die "$url did not answer $want within 60 s"
}

# Graceful stop (the writer drains its queue), then kill -9 after 15 s.
stop_process() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  log "pid $pid did not stop within 15 s: kill -9"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_process "$pid"; done
  if [ "$PG_STARTED" = 1 ]; then pg_stop; log "PostgreSQL stopped"; fi
  release_huge_pages
  late_writeback
}

# --- PostgreSQL ---------------------------------------------------------------------------------------

# A private cluster with durable settings (they are PostgreSQL's defaults, spelled out so a run can't inherit others),
# 1 GB of shared buffers (the default 128 MB is a minimal footprint: the clicks of one bench outgrow it within a
# minute, after which the backends write out a dirty page for each new one, about 10 µs more of database CPU per
# click), in huge pages when the kernel grants them (BENCH_PG_HUGE_PAGES=0 runs without).
start_postgres() {
  # shellcheck source=../scripts/postgres.sh
  source "$REPO_DIR/scripts/postgres.sh"
  # A cluster left running by an interrupted run would keep its old options: restart it.
  PG_DATA_DIR="/tmp/offertrace-pg-$PG_BENCH_PORT" pg_stop
  # Settings left by ALTER SYSTEM (a profiling session's extension, say) would outlive it: the options below are all.
  local auto="/tmp/offertrace-pg-$PG_BENCH_PORT/postgresql.auto.conf"
  if [ -f "$auto" ] && grep -q '^[^#]' "$auto"; then
    log "dropping settings left in the bench cluster's postgresql.auto.conf: $(grep '^[^#]' "$auto" | paste -sd ';' -)"
    printf '%s\n' '# Do not edit this file manually!' '# It will be overwritten by the ALTER SYSTEM command.' >"$auto"
  fi
  local options="-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c wal_sync_method=fdatasync -c shared_buffers=1GB"
  # When no spare WAL segment is waiting, the commit that fills the current one creates the next: 16 MB of zeroes
  # written and synced, 60-70 ms on this disk, every 16 MB of WAL (about every two seconds at 12,000 clicks/s). With
  # the default min_wal_size (80 MB) a checkpoint after a quiet spell deletes the spares, and the next target stalled
  # at each segment (bench/README.md, "WAL segments"). With 1 GB, up to 64 segments are kept and recycled
  # (prepare_wal_segments makes them in a fresh cluster).
  options="$options -c min_wal_size=1GB"
  # Logged so that the report can name what overlapped a slow run (postgres_events_between).
  options="$options -c log_checkpoints=on -c log_autovacuum_min_duration=0 -c log_timezone=UTC"
  PG_HUGE_PAGES=off
  if [ "${BENCH_PG_HUGE_PAGES:-1}" = 1 ] && reserve_huge_pages; then PG_HUGE_PAGES=on; fi
  OFFERTRACE_PG_OPTIONS="$options -c huge_pages=$PG_HUGE_PAGES" pg_start "$PG_BENCH_PORT"
  PG_STARTED=1
  # The databases an interrupted run left would be vacuumed and analysed while this one measures.
  local database
  for database in $(psql_bench -d postgres -c "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')"); do
    psql_bench -d postgres -c "DROP DATABASE \"$database\" WITH (FORCE)" >/dev/null
  done
  prepare_wal_segments
  if [ "$PG_HUGE_PAGES" = on ]; then
    log "PostgreSQL's shared memory in $(awk '/^HugePages_(Total|Free|Rsvd)/ { n[$1] = $2 } END { print n["HugePages_Total:"] - n["HugePages_Free:"] + n["HugePages_Rsvd:"] }' /proc/meminfo) huge pages of 2 MB"
  fi
}

# A cluster with fewer than 64 WAL segments (a fresh one) would create the rest in the first PostgreSQL target's
# commits. They are made here instead: segment switches until 66 exist, with checkpoints held off meanwhile (a
# checkpoint every 32 segments would recycle the used ones as fast as the switches use them), then a checkpoint
# recycles the used ones as spares.
prepare_wal_segments() {
  local count="SELECT count(*) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}\$'" segments
  segments="$(psql_bench -d postgres -c "$count")"
  [ "$segments" -lt 64 ] || return 0
  log "PostgreSQL has $segments WAL segments; making the spares up to 64 before the runs"
  psql_bench -d postgres -c "ALTER SYSTEM SET max_wal_size = '16GB'" -c "SELECT pg_reload_conf()" >/dev/null
  psql_bench -d postgres -c "DO \$\$ BEGIN FOR i IN 1..200 LOOP EXIT WHEN ($count) >= 66;
      PERFORM pg_logical_emit_message(false, 'offertrace-bench', 'segment'); PERFORM pg_switch_wal(); END LOOP; END \$\$" >/dev/null
  psql_bench -d postgres -c "ALTER SYSTEM RESET max_wal_size" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1  # the checkpointer reads the restored setting before it is asked for the checkpoint
  psql_bench -d postgres -c CHECKPOINT >/dev/null
  log "PostgreSQL has $(psql_bench -d postgres -c "$count") WAL segments"
}

# PostgreSQL's documentation recommends huge pages for its shared memory on a dedicated server. On this virtual
# machine they matter more than usual: with 4 KB pages the backends spent about a quarter more CPU per click (a
# profile showed faults on the buffer pool's first touch; the rest is spread over their work). 560 pages of 2 MB hold
# the shared memory (PostgreSQL asks for 542 with the options above: `postgres -C shared_memory_size_in_huge_pages`);
# they are given back when the bench ends.
HUGE_PAGES_BEFORE=""
reserve_huge_pages() {
  local wanted=560 before free
  before="$(cat /proc/sys/vm/nr_hugepages 2>/dev/null)" || return 1
  if [ "$before" -lt "$wanted" ]; then
    { echo "$wanted" > /proc/sys/vm/nr_hugepages; } 2>/dev/null || { log "huge pages not granted (needs root): PostgreSQL runs without"; return 1; }
    HUGE_PAGES_BEFORE="$before"
  fi
  # Pages reserved before may be in use by something else, and the kernel may grant fewer than asked.
  free="$(awk '/^HugePages_(Free|Rsvd)/ { n[$1] = $2 } END { print n["HugePages_Free:"] - n["HugePages_Rsvd:"] }' /proc/meminfo)"
  if [ "$free" -lt "$wanted" ]; then
    log "only $free huge pages free: PostgreSQL runs without"
    release_huge_pages
    return 1
  fi
}

release_huge_pages() {
  if [ -n "$HUGE_PAGES_BEFORE" ]; then echo "$HUGE_PAGES_BEFORE" > /proc/sys/vm/nr_hugepages; HUGE_PAGES_BEFORE=""; fi
}

# The kernel's default writeback lets the pages a growing table dirties pile up (10 % of memory) and writes each file
# whole 30 s after it was first dirtied: on this disk that is 150-250 MB at once, and every commit's sync waits behind
# it (p99 of 30-150 ms in 5 runs of 12). Starting writeback early keeps it in small steady pieces. At 32 MB each
# piece still held the commits' syncs behind it for 50-120 ms about every two seconds in a full pass (each sync is a
# cache flush that waits for the writes in flight); from 4 MB none did (bench/README.md, "Slow commits and the disk's
# flush"). It is set for the PostgreSQL targets only, like the huge pages, and restored after them.
WRITEBACK_BEFORE=""
early_writeback() {
  [ "${BENCH_PG_EARLY_WRITEBACK:-1}" = 1 ] || return 0
  [ -n "$WRITEBACK_BEFORE" ] && return 0
  local bytes ratio
  bytes="$(cat /proc/sys/vm/dirty_background_bytes 2>/dev/null)" || return 0
  ratio="$(cat /proc/sys/vm/dirty_background_ratio)"
  local mb="${BENCH_PG_WRITEBACK_MB:-4}"
  { echo $((mb * 1024 * 1024)) > /proc/sys/vm/dirty_background_bytes; } 2>/dev/null \
    || { log "vm.dirty_background_bytes not settable (needs root): PostgreSQL runs with the kernel's writeback"; return 0; }
  WRITEBACK_BEFORE="$bytes $ratio"
  PG_WRITEBACK="from $mb MB"
}

# Gives back the writeback thresholds found before early_writeback (writing one of the pair clears the other).
late_writeback() {
  [ -n "$WRITEBACK_BEFORE" ] || return 0
  local bytes ratio
  read -r bytes ratio <<<"$WRITEBACK_BEFORE"
  if [ "$bytes" != 0 ]; then echo "$bytes" > /proc/sys/vm/dirty_background_bytes; else echo "$ratio" > /proc/sys/vm/dirty_background_ratio; fi
  WRITEBACK_BEFORE=""
}
PG_WRITEBACK="the kernel's default"

# After a PostgreSQL target: the checkpoint its writes started spreads over minutes (checkpoint_completion_target) and
# would write hundreds of MB during the next target (a SQLite run after it had p99 of 55-61 ms instead of 11-19).
# Finish it now, and flush the page cache, so that each target starts on a quiet disk. The target's database
# (settle_postgres DATABASE) is dropped first: autovacuum would otherwise go over its tables during the next target.
settle_postgres() {
  psql_bench -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
  psql_bench -d postgres -c CHECKPOINT >/dev/null
  sync
}

psql_bench() { PGOPTIONS='-c client_min_messages=warning' psql -h "$HOST" -p "$PG_BENCH_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

fresh_database() {
  psql_bench -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}

# --- what else happened during a run ----------------------------------------------------------------

# run_window_start: marks a measured run's start (in UTC, as PostgreSQL's log writes it) and samples the kernel's dirty
# page cache every half second until run_window_end. The sampler stops by itself if the bench dies.
run_window_start() {
  WINDOW_FROM="$(date -u '+%Y-%m-%d %H:%M:%S.%3N')"
  WINDOW_CPU="$(cpu_snapshot)"
  local parent=$$
  ( while kill -0 "$parent" 2>/dev/null; do awk '/^Dirty:/ { print $2 }' /proc/meminfo; sleep 0.5; done ) \
    >"$LOG_DIR/dirty.samples" 2>/dev/null &
  WINDOW_SAMPLER=$!
}

# run_window_end RESULT_FILE: sets WINDOW_EVENTS to what may have stretched the run's slowest requests, on one line,
# empty when nothing did: PostgreSQL's checkpoints that overlapped the run (one begun before it counts) and the
# autovacuum runs that ended in it, and the dirty page cache when it passed 64 MB (a writeback burst makes every
# commit's sync wait: see bench/README.md). Appends where the machine's CPU went to RESULT_FILE (cpu_per_request).
# Not to be called in a subshell: it reaps the sampler.
run_window_end() {
  local to dirty_kb
  to="$(date -u '+%Y-%m-%d %H:%M:%S.%3N')"
  cpu_per_request "$WINDOW_CPU" "$(cpu_snapshot)" "$(result_value "$1" requests)" >>"$1"
  kill "$WINDOW_SAMPLER" 2>/dev/null || true
  wait "$WINDOW_SAMPLER" 2>/dev/null || true
  WINDOW_EVENTS="$( { postgres_events_between "$WINDOW_FROM" "$to"; slow_batches_between "$WINDOW_FROM" "$to"; } \
    | paste -sd ';' - | sed 's/;/; /g')"
  dirty_kb="$(sort -n "$LOG_DIR/dirty.samples" | tail -n 1)"
  if [ "${dirty_kb:-0}" -ge 65536 ]; then
    WINDOW_EVENTS="${WINDOW_EVENTS:+$WINDOW_EVENTS; }dirty pages peaked at $((dirty_kb / 1024)) MB"
  fi
}

# cpu_snapshot: "busy idle server database" in clock ticks (1/100 s): both cores' busy and idle time from /proc/stat,
# the server's (SERVER_PID) and, on PostgreSQL, the bench cluster's: every backend and the postmaster, whose reaped
# children (autovacuum workers that end) count in its own figure.
cpu_snapshot() {
  local database=0 pid
  if [ "${SERVER_DATABASE:-}" = postgres ] && [ -f "$PG_DATA_DIR/postmaster.pid" ]; then
    pid="$(head -n 1 "$PG_DATA_DIR/postmaster.pid")"
    for pid in "$pid" $(pgrep -P "$pid"); do database=$((database + $(process_ticks "$pid"))); done
  fi
  echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat) $(process_ticks "$SERVER_PID") $database"
}

# process_ticks PID: the process's CPU time and that of its reaped children (0 when it is gone).
process_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }' || echo 0; }

# cpu_per_request BEFORE AFTER REQUESTS: the run's CPU per request in microseconds, as key=value lines: the server, the
# database (PostgreSQL; on SQLite it is in the server), the rest of the busy time (wrk, mostly) and the idle time.
cpu_per_request() {
  awk -v before="$1" -v after="$2" -v n="$3" 'BEGIN {
    split(before, a, " "); split(after, b, " ")
    if (n + 0 <= 0) exit
    us = 10000 / n
    server = (b[3] - a[3]) * us; database = (b[4] - a[4]) * us
    rest = (b[1] - a[1]) * us - server - database
    printf "cpu_server_us=%.0f\ncpu_database_us=%.0f\ncpu_rest_us=%.0f\ncpu_idle_us=%.0f\n", server, database, rest < 0 ? 0 : rest, (b[2] - a[2]) * us
  }'
}

# slow_batches_between FROM TO: how many of the server's batches took $SLOW_BATCH_MS or more in the window, and the
# longest, from the lines IngestWriter logs (start_offertrace); nothing when none did.
slow_batches_between() {
  [ -n "${SERVER_LOG:-}" ] && [ -f "$SERVER_LOG" ] || return 0
  awk -v from="$1" -v to="$2" -v limit="$SLOW_BATCH_MS" '
    / to write and commit / && ($1 " " $2) >= from && ($1 " " $2) <= to {
      ms = $0; sub(/.* took /, "", ms); sub(/ ms .*/, "", ms)
      n++; if (ms + 0 > longest) longest = ms + 0
    }
    END { if (n) printf "%d batches took %d ms or more to commit (the longest %d ms)\n", n, limit, longest }
  ' "$SERVER_LOG"
}

# postgres_events_between FROM TO: checkpoints overlapping the window and autovacuum runs that ended in it, a line each,
# read from the bench cluster's log (autovacuum is logged when it ends: log_autovacuum_min_duration=0).
postgres_events_between() {
  [ "$PG_STARTED" = 1 ] && [ -f "$PG_DATA_DIR/server.log" ] || return 0
  awk -v from="$1" -v to="$2" '
    { at = $1 " " $2 }
    /LOG: +checkpoint starting:/ { began = at; why = $0; sub(/.*checkpoint starting: /, "", why) }
    /LOG: +checkpoint complete:/ {
      if (began != "" && began <= to && at >= from) {
        buffers = $0; sub(/.*wrote /, "", buffers); sub(/ buffers.*/, "", buffers)
        printf "checkpoint (%s) %s to %s, %s buffers written\n", why, substr(began, 12), substr(at, 12), buffers
      }
      began = ""
    }
    /LOG: +automatic (vacuum|analyze) of table/ && at >= from && at <= to {
      what = $0; sub(/.*automatic /, "", what); sub(/ of table /, " of ", what); sub(/":.*/, "\"", what); gsub(/"[^"]*\./, "\"", what)
      printf "autovacuum: %s, ended %s\n", what, substr(at, 12)
    }
    END { if (began != "" && began <= to) printf "checkpoint (%s) from %s, still running\n", why, substr(began, 12) }
  ' "$PG_DATA_DIR/server.log"
}

# --- OfferTrace --------------------------------------------------------------------------------------

# start_offertrace PROVIDER DATA_DIR_OR_DATABASE LOG [SERVER_ARG...]: sets SERVER_PID. PROVIDER sqlite-full is SQLite
# with synchronous=FULL.
start_offertrace() {
  local provider="$1" where="$2" logfile="$3" storage
  shift 3
  if [ "$provider" = sqlite ]; then
    storage=(--Storage:Provider=sqlite "--Storage:DataDirectory=$where")
  elif [ "$provider" = sqlite-full ]; then
    storage=(--Storage:Provider=sqlite "--Storage:DataDirectory=$where" --Storage:SqliteSynchronous=FULL)
  else
    storage=(--Storage:Provider=postgres "--Storage:ConnectionString=$PG_BASE;Database=$where")
  fi
  RUN_INDEX=0  # each server's runs walk their own passes (clicks.lua)
  # Batches that took $SLOW_BATCH_MS or more are logged on one line with a UTC time stamp, so that run_window_end can
  # tell a slow run whose commits stalled from one whose commits did not.
  start_process "OfferTrace ($provider)" "$SERVER_PORT" "$logfile" -- \
    dotnet "$OUT_DIR/publish/OfferTrace/OfferTrace.dll" "--urls=http://$HOST:$SERVER_PORT" \
    "--Auth:AdminKey=$ADMIN_KEY" "${storage[@]}" --Logging:LogLevel:Default=Warning \
    "--Storage:SlowBatchMilliseconds=$SLOW_BATCH_MS" --Logging:Console:FormatterOptions:SingleLine=true \
    --Logging:Console:FormatterOptions:UseUtcTimestamp=true "--Logging:Console:FormatterOptions:TimestampFormat=$LOG_TIME_FORMAT" "$@"
  SERVER_PID=$STARTED_PID
  SERVER_LOG="$logfile"
  SERVER_DATABASE="$provider"
  wait_ready "http://$HOST:$SERVER_PORT/health/ready" "$SERVER_PID"
}

start_bare() {
  SERVER_LOG=""
  SERVER_DATABASE=""
  start_process "BareKestrel" "$BARE_PORT" "$1" -- \
    dotnet "$OUT_DIR/publish/BareKestrel/BareKestrel.dll" "--urls=http://$HOST:$BARE_PORT"
  SERVER_PID=$STARTED_PID
  wait_ready "http://$HOST:$BARE_PORT/" "$SERVER_PID" 204
}

admin_post() {
  local path="$1" body="$2" status
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "http://$HOST:$SERVER_PORT/api/admin/$path" \
    -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' -d "$body")"
  [ "$status" = 201 ] || die "POST /api/admin/$path answered $status, expected 201"
}

# One publisher, placement and network; offers off_1..off_$OFFERS.
seed_catalogue() {
  local i
  admin_post publishers '{"publisher_id":"pub_1","name":"Bench publisher"}'
  admin_post placements '{"placement_id":"plc_1","publisher_id":"pub_1"}'
  admin_post networks '{"network_id":"net_1","postback_token":"bench-token"}'
  for i in $(seq 1 "$OFFERS"); do
    admin_post offers "{\"offer_id\":\"off_$i\",\"network_id\":\"net_1\",\"payout\":1.50,\"url\":\"https://adv.example/?cid={click_id}\"}"
  done
}

# The site of the click-events pass (its origin is the one click-events.lua sends).
seed_site() {
  admin_post sites '{"site_id":"site_1","name":"Bench shop","allowed_origins":["https://shop.example"],"currency":"USD","time_zone":"America/New_York","conversions":{"call":{"name":"Phone call","value":20.00},"whatsapp":{"name":"WhatsApp chat","value":10.00},"form":{"name":"Lead form"}}}'
}

# create_sessions COUNT FILE: creates COUNT sessions with wrk and writes their ids, one a line, to FILE.
# wrk's main thread sleeps for the whole -d even when the Lua threads stop early: SIGINT ends it once they have.
create_sessions() {
  local count="$1" file="$2" got=0 i wrk_pid
  rm -f "$file" "$file".*
  SESSIONS_PER_THREAD=$(( (count + 1) / 2 )) SESSIONS_OUT="$file" \
    wrk -t2 -c8 -d60s -s "$BENCH_DIR/lua/sessions.lua" "http://$HOST:$SERVER_PORT" >"$file.wrk" 2>&1 &
  wrk_pid=$!
  for i in $(seq 1 600); do
    got="$({ cat "$file".[0-9]* 2>/dev/null || true; } | wc -l)"
    [ "$got" -ge "$count" ] && break
    kill -0 "$wrk_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || { cat "$file.wrk" >&2; die "session creation failed"; }
  cat "$file".[0-9]* >"$file"
  rm -f "$file".[0-9]*
  got="$(wc -l <"$file")"
  [ "$got" -ge "$count" ] || { cat "$file.wrk" >&2; die "created $got sessions, wanted $count"; }
  log "$got sessions created"
}

# drive_clicks PORT CONNECTIONS SECONDS EXPECT_STATUS SESSIONS RESULT_FILE [ACKS_OUT]
# Writes wrk's own output to RESULT_FILE.wrk and the Lua summary (key=value) to RESULT_FILE.
RUN_INDEX=0
drive_clicks() {
  local port="$1" connections="$2" seconds="$3" expect="$4" sessions="$5" result="$6" acks="${7:-}"
  RUN_INDEX=$((RUN_INDEX + 1))
  EXPECT_STATUS="$expect" OFFERS="$OFFERS" SESSIONS_FILE="$sessions" RESULT_FILE="$result" ACKS_OUT="$acks" RUN_INDEX="$RUN_INDEX" PASSES_PER_RUN=6 \
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s "$BENCH_DIR/lua/clicks.lua" \
    "http://$HOST:$port/api/offerwall/track/click" >"$result.wrk" 2>&1 \
    || { cat "$result.wrk" >&2; die "wrk failed"; }
}

# drive_script PORT CONNECTIONS SECONDS SCRIPT RESULT_FILE: wrk with one of the scripts in lua/ that build their own
# requests (sessions-enriched.lua, click-events.lua).
drive_script() {
  local port="$1" connections="$2" seconds="$3" script="$4" result="$5"
  RUN_INDEX=$((RUN_INDEX + 1))
  RUN_INDEX="$RUN_INDEX" RESULT_FILE="$result" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency \
    -s "$BENCH_DIR/lua/$script" "http://$HOST:$port" >"$result.wrk" 2>&1 || { cat "$result.wrk" >&2; die "wrk failed"; }
}

# result_value FILE KEY
result_value() { sed -n "s/^$2=//p" "$1"; }

# Prints the warnings and errors a server logged (it runs at level Warning, so every line counts).
report_server_log() {
  local name="$1" logfile="$2" lines
  # Slow batches are expected under load at the bench's threshold; run_window_end reports them per run.
  lines="$(grep -vE '^\s*$' "$logfile" | grep -cv ' to write and commit ' || true)"
  if [ "$lines" -gt 0 ]; then
    log "!! $name logged $lines lines (level Warning and above); the first ones:"
    grep -vE '^\s*$' "$logfile" | grep -v ' to write and commit ' | head -n 8 | cut -c1-300 >&2 || true
  fi
  echo "$lines"
}
