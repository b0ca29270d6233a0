#!/usr/bin/env bash
# Signed DescribeRegions requests per second over plain HTTP and TLS
# (16 connections, 10 s, loopback). Prints wrk's numbers.
# usage: bench/describe_regions.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}; conns=${2:-16}
dir=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
. bench/server.sh
start_server --db :memory:
node bench/tc3_sign.mjs "127.0.0.1:$port" DescribeRegions '{}' "" > "$dir/regions.lua"
echo "== signed DescribeRegions, plain HTTP, $conns connections, $duration"
wrk -t2 -c"$conns" -d"$duration" -s "$dir/regions.lua" "http://127.0.0.1:$port/"
echo "== signed DescribeRegions, TLS, $conns connections, $duration"
wrk -t2 -c"$conns" -d"$duration" -s "$dir/regions.lua" "https://127.0.0.1:$port/"
