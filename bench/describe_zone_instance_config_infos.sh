#!/usr/bin/env bash
# Signed DescribeZoneInstanceConfigInfos requests per second over plain HTTP
# (16 connections, 10 s, loopback): the document's example (one zone,
# POSTPAID_BY_HOUR: 80 offers), one type in one zone (2 offers), and the
# whole region unfiltered (480 offers). Prints wrk's numbers.
# usage: bench/describe_zone_instance_config_infos.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}; conns=${2:-16}
dir=$(mktemp -d)
./build/cvm-emulator --port 0 --port-file "$dir/port" --data-dir "$dir" --db :memory: \
  --log-level warn >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
port=$(cat "$dir/port")
run() {
  local name=$1 body=$2
  node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeZoneInstanceConfigInfos "$body" > "$dir/$name.lua"
  echo "== signed DescribeZoneInstanceConfigInfos, $name, plain HTTP, $conns connections, $duration"
  wrk -t2 -c"$conns" -d"$duration" -s "$dir/$name.lua" "http://127.0.0.1:$port/"
}
run "zone+charge-type" '{"Filters":[{"Name":"zone","Values":["ap-guangzhou-2"]},{"Name":"instance-charge-type","Values":["POSTPAID_BY_HOUR"]}]}'
run "zone+type" '{"Filters":[{"Name":"zone","Values":["ap-guangzhou-2"]},{"Name":"instance-type","Values":["S1.SMALL1"]}]}'
run "unfiltered" '{}'
