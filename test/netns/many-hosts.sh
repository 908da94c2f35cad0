#!/usr/bin/env bash
# Many hosts on one study, for real: three network namespaces (each its own network stack, reached over
# a veth pair) run one `sweep run` worker each, with its own host name (a UTS namespace), against a
# private PostgreSQL cluster listening on the veth addresses. Mid-study, host 1's link is cut: the
# other hosts fail its running trial as stale after --stale-after, retry it, and finish the study with
# exactly --max-trials trials; host 1 exits with a one-line error once retry_for has passed.
# Needs root, iproute2, util-linux (unshare) and PostgreSQL's server binaries; run `npm run build` first.
# Traffic stays inside the namespaces and veth pairs this script creates; all are removed on exit.
# Run: sudo test/netns/many-hosts.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${SWEEP_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
TRIALS=${TRIALS:-300}
PREFIX=swnet$$
NET=10.77
WORK=$(mktemp -d /tmp/sweep-netns-XXXXXX)
PORT=$((20000 + RANDOM % 20000))
pids=()

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  set +e
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  for h in 1 2 3; do ip netns del "${PREFIX}h$h" 2>/dev/null; ip link del "${PREFIX}v$h" 2>/dev/null; done
  as_pg "$BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "many-hosts.sh: needs root (ip netns)" >&2; exit 2; }
[ -x "$BIN/initdb" ] || { echo "many-hosts.sh: no PostgreSQL server binaries in $BIN (set SWEEP_TEST_PG_BIN)" >&2; exit 2; }
[ -f dist/src/cli/bin.js ] || { echo "many-hosts.sh: run npm run build first" >&2; exit 2; }

# Three hosts: namespace, veth pair, host side 10.77.H.1, namespace side 10.77.H.2.
for h in 1 2 3; do
  ip netns add "${PREFIX}h$h"
  ip link add "${PREFIX}v$h" type veth peer name "${PREFIX}n$h"
  ip link set "${PREFIX}n$h" netns "${PREFIX}h$h"
  ip addr add "$NET.$h.1/24" dev "${PREFIX}v$h"
  ip link set "${PREFIX}v$h" up
  ip netns exec "${PREFIX}h$h" ip addr add "$NET.$h.2/24" dev "${PREFIX}n$h"
  ip netns exec "${PREFIX}h$h" ip link set "${PREFIX}n$h" up
  ip netns exec "${PREFIX}h$h" ip link set lo up
done

# PostgreSQL on the host side of every link.
chown postgres "$WORK" 2>/dev/null || true
as_pg "$BIN/initdb" -D "$WORK/data" -A trust -U postgres --no-sync >/dev/null
echo "host all all $NET.0.0/16 trust" >> "$WORK/data/pg_hba.conf"
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w start \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1,$NET.1.1,$NET.2.1,$NET.3.1 -c fsync=off" >/dev/null

psql_q() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc "$1"; }
LIVENESS=(--heartbeat-interval 0.5 --stale-after 3 --retry-failed 1)
for h in 1 2 3; do
  storage="postgresql://postgres@$NET.$h.1:$PORT/postgres?schema=netns&retry_for=10&query_timeout=3"
  ip netns exec "${PREFIX}h$h" unshare -u sh -c "hostname sweep-host-$h && exec \"$(command -v node)\" \"$ROOT/dist/src/cli/bin.js\" \"\$@\"" sh \
    run "$ROOT/test/fixtures/studies/steady.ts" --max-trials "$TRIALS" --storage "$storage" "${LIVENESS[@]}" \
    > "$WORK/host$h.out" 2> "$WORK/host$h.err" &
  pids+=($!)
done

# Cut host 1's link once it has trials of its own (polling the database for an event, not a sleep).
for _ in $(seq 1 600); do
  n=$(psql_q "SELECT count(*) FROM netns.trials WHERE worker_id LIKE 'sweep-host-1:%'" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 10 ] && break
  sleep 0.1
done
echo "cutting host 1's link after it ran $n trials"
ip link set "${PREFIX}v1" down

wait "${pids[1]}"; wait "${pids[2]}"
status1=0; wait "${pids[0]}" || status1=$?
pids=()

total=$(psql_q "SELECT count(*) FROM netns.trials")
distinct=$(psql_q "SELECT count(DISTINCT number) FROM netns.trials")
running=$(psql_q "SELECT count(*) FROM netns.trials WHERE state = 'RUNNING'")
stale=$(psql_q "SELECT count(*) FROM netns.trials WHERE worker_id LIKE 'sweep-host-1:%' AND state = 'FAIL' AND system_attrs LIKE '%stale%'")
by_host=$(psql_q "SELECT h || '=' || n FROM (SELECT split_part(worker_id, ':', 1) AS h, count(*) AS n FROM netns.trials GROUP BY 1) c ORDER BY h" | tr '\n' ' ')
echo "trials: $total (budget $TRIALS), distinct numbers: $distinct, left RUNNING: $running, host 1's trials failed as stale: $stale"
echo "by host: $by_host"
echo "host 1 exit status $status1; its last line: $(tail -n 1 "$WORK/host1.err")"
if [ "$total" = "$TRIALS" ] && [ "$distinct" = "$TRIALS" ] && [ "$running" = 0 ] && [ "$status1" != 0 ]; then
  echo PASS
else
  echo FAIL; tail -n 5 "$WORK"/host*.err; exit 1
fi
