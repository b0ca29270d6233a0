#!/usr/bin/env bash
# Instance benchmarks (issue 4): signed RunInstances (1 instance) and
# DescribeInstances (Limit 100, 1,000 instances stored) requests per second at
# 1 and 16 connections, and DescribeInstances (Limit 20) latency with 100 and
# with 100,000 instances stored, and the same for lookups by instance ID and
# by private IP. Loopback, file database (the default), wrk.
# usage: bench/instances.sh [duration] [RunInstances fields]
# (the fields, a JSON object, go into the RunInstances body, e.g.
# '{"SecurityGroupIds":["sg-bench001"]}'; CVM_EMULATOR=path runs another
# build of the server)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
run_fields=${2:-'{}'}
dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

. bench/server.sh
start() {  # start a fresh server on a fresh database
  start_server --instance-quota 100000000
}
run() {  # run <connections> <lua> <label>
  echo "== $3, $1 connection(s), $duration"
  wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$duration" --latency -s "$2" "http://127.0.0.1:$port/" |
    grep -E "Requests/sec|Latency  |50%|99%|api_errors|Socket errors"
}

start
node bench/tc3_sign.mjs "127.0.0.1:$port" RunInstances \
  "$(node -e 'console.log(JSON.stringify({Placement: {Zone: "ap-guangzhou-3"}, ImageId: "img-eb30mz89",
                                          ...JSON.parse(process.argv[1])}))' "$run_fields")" > "$dir/run.lua"
run 1 "$dir/run.lua" "signed RunInstances (1 instance${2:+, $run_fields})"
run 16 "$dir/run.lua" "signed RunInstances (1 instance${2:+, $run_fields})"

start
node bench/populate.mjs "127.0.0.1:$port" 1000
node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeInstances '{"Limit":100}' > "$dir/describe100.lua"
run 1 "$dir/describe100.lua" "signed DescribeInstances Limit 100 of 1,000 instances"
run 16 "$dir/describe100.lua" "signed DescribeInstances Limit 100 of 1,000 instances"

lookups() {  # lookups <label>: one instance from the middle, by ID and by private IP
  local row id ip
  row=$(sqlite3 -separator ' ' "$dir/data/cvm.sqlite3" \
    "SELECT instance_id, private_ip FROM instances ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM instances)")
  read -r id ip <<<"$row"
  node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeInstances "{\"InstanceIds\":[\"$id\"]}" > "$dir/by_id.lua"
  node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeInstances \
    "{\"Filters\":[{\"Name\":\"private-ip-address\",\"Values\":[\"$ip\"]}]}" > "$dir/by_ip.lua"
  run 1 "$dir/by_id.lua" "DescribeInstances InstanceIds [one] latency, $1 instances stored"
  run 1 "$dir/by_ip.lua" "DescribeInstances private-ip-address filter latency, $1 instances stored"
}

node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeInstances '{"Limit":20}' > "$dir/describe20.lua"
start
node bench/populate.mjs "127.0.0.1:$port" 100
run 1 "$dir/describe20.lua" "DescribeInstances Limit 20 latency, 100 instances stored"
lookups 100
start
node bench/populate.mjs "127.0.0.1:$port" 100000
run 1 "$dir/describe20.lua" "DescribeInstances Limit 20 latency, 100,000 instances stored"
lookups 100,000
