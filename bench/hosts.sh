#!/usr/bin/env bash
# Dedicated host benchmarks (issue 14): signed AllocateHosts (1 host) and
# CDHPAID RunInstances (1 CDH_1C1G instance, spread over 4,000 RUNNING hosts
# so none fills up) requests per second at 16 connections, and DescribeHosts
# (Limit 20) latency with 100 and with 10,000 hosts stored, unfiltered and
# filtered by host-state and by host-id. Loopback, file database, wrk.
# usage: bench/hosts.sh [duration]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

. bench/server.sh
start() {  # start a fresh server on a fresh database; hosts are RUNNING at once
  start_server --instance-quota 100000000 --host-pending-seconds 0
}
run() {  # run <connections> <lua> <label>
  echo "== $3, $1 connection(s), $duration"
  wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$duration" --latency -s "$2" "http://127.0.0.1:$port/" |
    grep -E "Requests/sec|Latency  |50%|99%|api_errors|Socket errors"
}

echo "uptime: $(uptime)"
start
sign() {  # sign <Action> <json-body>: a wrk script (tc3_sign_each.mjs counts API errors of every thread)
  echo "$2" | node bench/tc3_sign_each.mjs "127.0.0.1:$port" "$1"
}
sign AllocateHosts '{"Placement":{"Zone":"ap-guangzhou-3"},"HostChargePrepaid":{"Period":1}}' > "$dir/allocate.lua"
run 16 "$dir/allocate.lua" "signed AllocateHosts (1 host)"

start
node bench/populate_hosts.mjs "127.0.0.1:$port" 4000 > "$dir/hosts"
sed 's/.*/{"Placement":{"Zone":"ap-guangzhou-3","HostIds":["&"]},"InstanceChargeType":"CDHPAID","InstanceType":"CDH_1C1G","ImageId":"img-eb30mz89"}/' \
  "$dir/hosts" | node bench/tc3_sign_each.mjs "127.0.0.1:$port" RunInstances > "$dir/cdh.lua"
run 16 "$dir/cdh.lua" "signed CDHPAID RunInstances (1 CDH_1C1G instance, 4,000 hosts in turn)"

describe() {  # describe <label>
  local id
  id=$(sqlite3 "$dir/data/cvm.sqlite3" \
    "SELECT host_id FROM hosts ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM hosts)")
  sign DescribeHosts '{"Limit":20}' > "$dir/page.lua"
  sign DescribeHosts '{"Limit":20,"Filters":[{"Name":"host-state","Values":["RUNNING"]}]}' > "$dir/state.lua"
  sign DescribeHosts "{\"Filters\":[{\"Name\":\"host-id\",\"Values\":[\"$id\"]}]}" > "$dir/by_id.lua"
  run 1 "$dir/page.lua" "DescribeHosts Limit 20 latency, $1 hosts stored"
  run 1 "$dir/state.lua" "DescribeHosts host-state RUNNING Limit 20 latency, $1 hosts stored"
  run 1 "$dir/by_id.lua" "DescribeHosts host-id filter latency, $1 hosts stored"
}
start
node bench/populate_hosts.mjs "127.0.0.1:$port" 100 > /dev/null
describe 100
start
node bench/populate_hosts.mjs "127.0.0.1:$port" 10000 > /dev/null
describe 10,000
echo "uptime: $(uptime)"
