#!/bin/bash
# CPU per trial of N `sweep run` workers on one PostgreSQL study (bench/RESULTS.md, "Many machines on
# PostgreSQL"): trials/s is at the mercy of a shared machine's load, CPU time much less so.
#
#   bench/pg-cpu.sh SAMPLER PROCESSES TRIALS [PORT] [POSTMASTER_PID_FILE]
#
# Run from a checkout with dist/ built (npm run build). Node = user+sys of the workers (GNU time),
# start-up included; PostgreSQL = the CPU of the postmaster's processes (children's included), so use a
# private cluster that serves nothing else (initdb -D DIR -A trust -U postgres; pg_ctl -D DIR -o "-p PORT
# -k DIR" start; createdb -p PORT -U postgres test). Each run uses a fresh schema, dropped afterwards.
set -euo pipefail
sampler=$1 processes=$2 trials=$3 port=${4:-5432} pidfile=${5:-/var/run/postgresql/15-main.pid}
schema=bench_cpu_$RANDOM$RANDOM
url="postgresql://postgres@127.0.0.1:$port/test?schema=$schema"
sql() { psql -qAt -h 127.0.0.1 -p "$port" -U postgres test -c "$1"; }
postmaster=$(head -1 "$pidfile")
# Ticks of the postmaster and its children (live ones, and those it has reaped: cutime + cstime).
pg_ticks() {
  local total=0 p
  for p in $postmaster $(pgrep -P "$postmaster"); do
    read -r -a f < <(cut -d' ' -f14-17 "/proc/$p/stat" 2>/dev/null || echo '0 0 0 0')
    total=$((total + f[0] + f[1]))
    [ "$p" = "$postmaster" ] && total=$((total + f[2] + f[3]))
  done
  echo "$total"
}
logs=$(mktemp -d)
trap 'rm -rf "$logs"; sql "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT
before=$(pg_ticks)
pids=()
for i in $(seq "$processes"); do
  /usr/bin/time -f '%U %S' -o "$logs/time.$i" node dist/src/cli/bin.js run bench/fixtures/pg-study.ts \
    --max-trials "$trials" --sampler "$sampler" --storage "$url" >/dev/null 2>"$logs/log.$i" &
  pids+=($!)
done
wait "${pids[@]}"
after=$(pg_ticks)
node_s=$(cat "$logs"/time.* | awk '{s += $1 + $2} END {print s}')
pg_s=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')
read -r count span < <(sql "SET search_path = $schema; SELECT count(*), (max(end_time) - min(start_time)) / 1000.0 FROM trials" | tr '|' ' ')
awk -v s="$sampler" -v n="$processes" -v c="$count" -v span="$span" -v node="$node_s" -v pg="$pg_s" -v loadavg="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "%s, %d processes: %d trials, %.1f trials/s; CPU node %.2f s (%.2f ms/trial), PostgreSQL %.2f s (%.2f ms/trial); load %s\n",
    s, n, c, c / span, node, 1000 * node / c, pg, 1000 * pg / c, loadavg }'
