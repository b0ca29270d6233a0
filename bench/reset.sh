#!/usr/bin/env bash
# How long POST /_emulator/reset takes with many instances stored (issue
# 17), over several rounds, each on a fresh server holding a copy of the
# same populated database (file database, the default), after a few
# DescribeInstances pages; with "load", while a wrk of signed
# DescribeRegions (one thread, four connections) keeps another core busy.
# Prints each round's time (curl's total) and the median and the worst.
# Loopback. Prints numbers; not a test.
# usage: bench/reset.sh [instances] [rounds] [load]
# (CVM_EMULATOR=path runs another build of the server; CVM_SCALE_CACHE=dir
# shares bench/scale.sh's populated databases)
set -euo pipefail
cd "$(dirname "$0")/.."
many=${1:-100000}
rounds=${2:-7}
load=${3:-}
dir=$(mktemp -d)
pid=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

. bench/server.sh
start() {  # start [database]: a fresh server on a fresh database, or a copy of the one given
  start_server ${1:+--from "$1"} --instance-quota 100000000
}

# The populated database: bench/scale.sh's (same instances), or made now.
cache=${CVM_SCALE_CACHE:-$dir/cache}
populated="$cache/instances-$many.sqlite3"
if [ ! -f "$populated" ]; then
  start
  node bench/populate.mjs "127.0.0.1:$port" "$many" ap-guangzhou '{"InternetAccessible":{"InternetMaxBandwidthOut":1,"PublicIpAssigned":true},
    "SecurityGroupIds":["sg-bench001"],
    "TagSpecification":[{"ResourceType":"instance","Tags":[{"Key":"team","Value":"bench"}]}]}'
  mkdir -p "$cache"
  sqlite3 "$dir/data/cvm.sqlite3" "VACUUM INTO '$populated'"
fi

echo "== POST /_emulator/reset, $many instances stored, $rounds rounds${load:+, under load (wrk DescribeRegions -t1 -c4)}"
times=()
for round in $(seq "$rounds"); do
  start "$populated"
  node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeInstances '{"Limit":100}' > "$dir/page.lua"
  wrk -t1 -c1 -d1s -s "$dir/page.lua" "http://127.0.0.1:$port/" >/dev/null
  if [ -n "$load" ]; then
    node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeRegions '{}' > "$dir/regions.lua"
    wrk -t1 -c4 -d30s -s "$dir/regions.lua" "http://127.0.0.1:$port/" >/dev/null &
    wrk_pid=$!
    sleep 1
  fi
  t=$(curl -s -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$port/_emulator/reset")
  ms=$(awk "BEGIN { printf \"%.1f\", $t * 1000 }")
  times+=("$ms")
  if [ -n "$wrk_pid" ]; then kill "$wrk_pid" 2>/dev/null; wait "$wrk_pid" 2>/dev/null || true; wrk_pid=""; fi
  left=$(sqlite3 "$dir/data/cvm.sqlite3" "SELECT COUNT(*) FROM instances")
  printf '  round %d: %8s ms  (instances left: %s)\n' "$round" "$ms" "$left"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  printf "  median %.1f ms, worst %.1f ms\n", v[int((NR + 1) / 2)], v[NR] }'
