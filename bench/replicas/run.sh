#!/usr/bin/env bash
# Ingest and end-to-end throughput of one bot on SQLite, one on PostgreSQL and three on one PostgreSQL database, in
# one run, the configurations alternating (IncidentBot.Bench --replicas, bench/IncidentBot.Bench/ReplicaRun.cs).
# PostgreSQL: a throwaway cluster in a temp folder with the server's default durability (fsync and synchronous_commit
# on), started here and removed at the end, like .ci/run's; or an existing server given with
#   --postgres "Host=127.0.0.1;Port=55900;Username=postgres" [--postgres-data /path/to/its/data]
# (a user that may create databases; each configuration creates one and drops it).
# Other options go to the benchmark (see --help under "--replicas" and "--wrk"), e.g. --rounds 3 --compare-commit abc123.
# Bounded: stopped after 40 minutes at the latest (a normal run takes about 5; building --compare-commit bots on a busy
# machine can take ten minutes more).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v wrk >/dev/null; then
  echo "wrk is not installed: apt-get update && apt-get install -y wrk" >&2
  exit 1
fi

args=("$@")
given_postgres=""
for arg in "${args[@]}"; do [ "$arg" = "--postgres" ] && given_postgres=yes; done

pg_dir="" pg_bin="" pg_user=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT
# initdb refuses to run as root: then the cluster belongs to the postgres user (or nobody).
if [ "$(id -u)" -eq 0 ]; then
  pg_user=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
fi
as_pg() {
  if [ -n "$pg_user" ]; then runuser -u "$pg_user" -- "$@"; else "$@"; fi
}

if [ -z "$given_postgres" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pg_bin" ]; then
    echo "PostgreSQL is not installed: apt-get install -y postgresql, or pass --postgres <connection string>" >&2
    exit 1
  fi
  for port in $(seq 55700 55799); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  pg_dir=$(mktemp -d -t incidentbot-bench-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ -n "$pg_user" ] && chown "$pg_user" "$pg_dir"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; exit 1; }
  # Three bots with Npgsql's default pool of 100 each; the rest of the settings are PostgreSQL's defaults.
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses='' -c max_connections=400" start >/dev/null || { cat "$pg_dir/server.log"; exit 1; }
  args+=(--postgres "Host=$pg_dir;Port=$port;Username=postgres;Database=postgres" --postgres-data "$pg_dir/data")
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for this run at $pg_dir, port $port (fsync and synchronous_commit on)"
fi

dotnet build -c Release "$root/bench/IncidentBot.Bench" -nologo -v quiet
timeout --kill-after=15s 40m dotnet "$root/bench/IncidentBot.Bench/bin/Release/net10.0/IncidentBot.Bench.dll" \
  --replicas --wrk-script "$root/bench/ingest-wrk/replay.lua" "${args[@]}"
