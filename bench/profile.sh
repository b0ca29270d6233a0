#!/usr/bin/env bash
# Samples the server with perf while wrk replays one signed request.
# usage: bench/profile.sh <Action> <json-body> [region] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
action=$1; body=$2; region=${3-ap-guangzhou}; secs=${4:-4}
dir=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
. bench/server.sh
start_server --db :memory: --instance-quota 100000000
node bench/tc3_sign.mjs "127.0.0.1:$port" "$action" "$body" "$region" > "$dir/req.lua"
perf record -F 4000 -g -p $pid -o "$dir/perf.data" -- sleep "$secs" >/dev/null 2>&1 &
wrk -t2 -c16 -d"$((secs+1))s" -s "$dir/req.lua" "http://127.0.0.1:$port/" | grep -E "Requests/sec"
wait %2 2>/dev/null || sleep 1
perf report -i "$dir/perf.data" --no-children --sort dso,symbol -g none --percent-limit 0.7 2>/dev/null \
  | grep -v '^#' | grep '%' | sed -E 's/ +/ /g' | cut -c1-160
