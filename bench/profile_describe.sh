#!/usr/bin/env bash
# perf profile of DescribeInstances over `count` stored instances.
# usage: bench/profile_describe.sh <count> <json-body> [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
count=$1; body=$2; secs=${3:-4}
dir=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
. bench/server.sh
start_server --instance-quota 100000000
node bench/populate.mjs "127.0.0.1:$port" "$count"
node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeInstances "$body" > "$dir/req.lua"
perf record -F 4000 -g -p $pid -o "$dir/perf.data" -- sleep "$secs" >/dev/null 2>&1 &
wrk -t1 -c1 -d"$((secs+1))s" -s "$dir/req.lua" "http://127.0.0.1:$port/" | grep -E "Requests/sec"
wait %2 2>/dev/null || sleep 1
perf report -i "$dir/perf.data" --no-children --sort dso,symbol -g none --percent-limit 0.8 2>/dev/null \
  | grep -v '^#' | grep '%' | sed -E 's/ +/ /g' | cut -c1-150
