#!/usr/bin/env bash
# Starts a private PostgreSQL server for tests and benchmarks, installing Debian's package when it is missing.
# Usage: source scripts/postgres.sh; pg_start [port]  -> exports OFFERTRACE_TEST_PG; pg_stop stops it.

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_install() {
  if [ -n "$(pg_bin_dir)" ]; then return 0; fi
  echo "PostgreSQL is not installed: installing Debian's package" >&2
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >&2
  [ -n "$(pg_bin_dir)" ] || { echo "PostgreSQL installation failed" >&2; return 1; }
}

# Runs a command as the owner of the cluster: PostgreSQL refuses to run as root.
pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local port="${1:-${OFFERTRACE_PG_PORT:-55432}}"
  local extra="${OFFERTRACE_PG_OPTIONS:-}"
  pg_install || return 1
  local bin; bin="$(pg_bin_dir)"
  PG_DATA_DIR="${OFFERTRACE_PG_DIR:-/tmp/offertrace-pg-$port}"
  PG_PORT="$port"
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then useradd --system --home-dir /var/lib/postgresql postgres; fi
  if [ ! -s "$PG_DATA_DIR/PG_VERSION" ]; then
    rm -rf "$PG_DATA_DIR"; mkdir -p "$PG_DATA_DIR"
    if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DATA_DIR"; fi
    pg_as_owner "$bin/initdb" -D "$PG_DATA_DIR" -U postgres -A trust -E UTF8 --no-sync >/dev/null || return 1
  fi
  if ! pg_as_owner "$bin/pg_ctl" -D "$PG_DATA_DIR" status >/dev/null 2>&1; then
    pg_as_owner "$bin/pg_ctl" -D "$PG_DATA_DIR" -l "$PG_DATA_DIR/server.log" -w -t 60 start \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 $extra" >/dev/null || {
        cat "$PG_DATA_DIR/server.log" >&2; return 1; }
  fi
  export OFFERTRACE_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=100;Timeout=30"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_DATA_DIR)" >&2
}

pg_stop() {
  local bin; bin="$(pg_bin_dir)"
  if [ -n "${PG_DATA_DIR:-}" ] && [ -n "$bin" ]; then
    pg_as_owner "$bin/pg_ctl" -D "$PG_DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
