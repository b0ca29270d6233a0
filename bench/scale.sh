#!/usr/bin/env bash
# Describe* at scale (issue 17). The p50 latency (wrk, one connection) of
# every DescribeInstances filter, matching nothing and matching every
# instance, next to the unfiltered page (Limit 20), with 100 and with
# 100,000 instances stored; a deep Offset; DescribeInstancesStatus; and how
# long POST /_emulator/reset takes. Then the same for DescribeImages and
# DescribeKeyPairs with 10,000 custom images and 10,000 key pairs.
# Loopback, file database (the default). Prints numbers; not a test.
# usage: bench/scale.sh [duration per query] [instances] [images and key pairs]
# (CVM_EMULATOR=path runs another build of the server; CVM_SCALE_CACHE=dir
# keeps each populated database there, instances-<n>.sqlite3, and starts
# from it on later runs instead of populating again: a newer build migrates
# it as it opens it)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-2s}
many=${2:-100000}
few_images=${3:-10000}
dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

. bench/server.sh
start() {  # start [database]: a fresh server on a fresh database, or a copy of the one given
  start_server ${1:+--from "$1"} --instance-quota 100000000 --image-quota 1000000 \
    --key-pair-quota 1000000
}
sql() { sqlite3 -separator ' ' "$dir/data/cvm.sqlite3" "$1"; }

# p50 <label> <action> <json>: one line, the p50 and its ratio to the
# section's first line (the unfiltered page).
base=""
p50() {
  node bench/tc3_sign.mjs "127.0.0.1:$port" "$2" "$3" > "$dir/q.lua"
  local out ms errors
  out=$(wrk -t1 -c1 -d"$duration" --latency -s "$dir/q.lua" "http://127.0.0.1:$port/")
  ms=$(awk '$1 == "50%" { v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
         print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' <<<"$out")
  errors=$(sed -n 's/api_errors=//p' <<<"$out")
  [ -z "$base" ] && base=$ms
  printf '  %-62s %9.3f ms %7.1fx%s\n' "$1" "$ms" "$(awk "BEGIN { print $ms / $base }")" \
    "$([ "${errors:-0}" != 0 ] && echo "  ($errors API errors)")"
}
filter() {  # filter <name> <values JSON> [more JSON members]: a Filters body
  echo "{\"Limit\":20,\"Filters\":[{\"Name\":\"$1\",\"Values\":$2}${3:-}]}"
}
reset_ms() {
  local t
  t=$(curl -s -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$port/_emulator/reset")
  printf '  %-62s %9.1f ms\n' "POST /_emulator/reset ($1)" "$(awk "BEGIN { print $t * 1000 }")"
}

# Every instance: zone ap-guangzhou-3, project 0, POSTPAID_BY_HOUR, basic
# network, a public IP, one security group and the tag team=bench.
extra='{"InternetAccessible":{"InternetMaxBandwidthOut":1,"PublicIpAssigned":true},
  "SecurityGroupIds":["sg-bench001"],
  "TagSpecification":[{"ResourceType":"instance","Tags":[{"Key":"team","Value":"bench"}]}]}'

populated() {  # populated <count>: a server with <count> instances (see CVM_SCALE_CACHE)
  local n=$1 t0=$SECONDS cached="${CVM_SCALE_CACHE:-}/instances-$1.sqlite3"
  if [ -n "${CVM_SCALE_CACHE:-}" ] && [ -f "$cached" ]; then
    start "$cached"
    how="copied from $cached"
    return
  fi
  start
  node bench/populate.mjs "127.0.0.1:$port" "$n" ap-guangzhou "$extra"
  how="populated in $((SECONDS - t0)) s"
  if [ -n "${CVM_SCALE_CACHE:-}" ]; then
    mkdir -p "$CVM_SCALE_CACHE"
    sql "VACUUM INTO '$cached'"
  fi
}

instances() {  # instances <count>
  local n=$1 row id ip pip how
  populated "$n"
  echo "== DescribeInstances, Limit 20, $n instances stored ($how)"
  row=$(sql "SELECT instance_id, private_ip, public_ip FROM instances ORDER BY id
             LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM instances)")
  read -r id ip pip <<<"$row"
  base=""
  p50 "no filter" DescribeInstances '{"Limit":20}'
  p50 "zone, no match" DescribeInstances "$(filter zone '["ap-guangzhou-4"]')"
  p50 "zone, every instance" DescribeInstances "$(filter zone '["ap-guangzhou-3"]')"
  p50 "zone, two values, every instance" DescribeInstances \
    "$(filter zone '["ap-guangzhou-4","ap-guangzhou-3"]')"
  p50 "project-id, no match" DescribeInstances "$(filter project-id '["1"]')"
  p50 "project-id, every instance" DescribeInstances "$(filter project-id '["0"]')"
  p50 "host-id, no match" DescribeInstances "$(filter host-id '["host-bench001"]')"
  p50 "vpc-id, no match" DescribeInstances "$(filter vpc-id '["vpc-bench001"]')"
  p50 "instance-id, one" DescribeInstances "$(filter instance-id "[\"$id\"]")"
  p50 "InstanceIds, one" DescribeInstances "{\"InstanceIds\":[\"$id\"]}"
  p50 "security-group-id, no match" DescribeInstances "$(filter security-group-id '["sg-nomatch1"]')"
  p50 "security-group-id, every instance" DescribeInstances \
    "$(filter security-group-id '["sg-bench001"]')"
  p50 "instance-name, no match" DescribeInstances "$(filter instance-name '["nope"]')"
  p50 "instance-name, every instance" DescribeInstances "$(filter instance-name '["未命名"]')"
  p50 "instance-charge-type, no match" DescribeInstances \
    "$(filter instance-charge-type '["PREPAID"]')"
  p50 "instance-charge-type, every instance" DescribeInstances \
    "$(filter instance-charge-type '["POSTPAID_BY_HOUR"]')"
  p50 "private-ip-address, one" DescribeInstances "$(filter private-ip-address "[\"$ip\"]")"
  p50 "public-ip-address, one" DescribeInstances "$(filter public-ip-address "[\"$pip\"]")"
  p50 "public-ip-address, no match" DescribeInstances "$(filter public-ip-address '["1.2.3.4"]')"
  p50 "tag-key, no match" DescribeInstances "$(filter tag-key '["owner"]')"
  p50 "tag-key, every instance" DescribeInstances "$(filter tag-key '["team"]')"
  p50 "tag-value, no match" DescribeInstances "$(filter tag-value '["other"]')"
  p50 "tag-value, every instance" DescribeInstances "$(filter tag-value '["bench"]')"
  p50 "tag:team, no match" DescribeInstances "$(filter tag:team '["other"]')"
  p50 "tag:team, every instance" DescribeInstances "$(filter tag:team '["bench"]')"
  p50 "zone (every) and project-id (no match)" DescribeInstances \
    "$(filter zone '["ap-guangzhou-3"]' ',{"Name":"project-id","Values":["1"]}')"
  p50 "zone (every) and instance-charge-type (every)" DescribeInstances \
    "$(filter zone '["ap-guangzhou-3"]' ',{"Name":"instance-charge-type","Values":["POSTPAID_BY_HOUR"]}')"
  p50 "Offset $((n - 20)), no filter" DescribeInstances "{\"Limit\":20,\"Offset\":$((n - 20))}"
  p50 "Offset $((n - 20)), zone (every instance)" DescribeInstances \
    "{\"Limit\":20,\"Offset\":$((n - 20)),\"Filters\":[{\"Name\":\"zone\",\"Values\":[\"ap-guangzhou-3\"]}]}"
  p50 "DescribeInstancesStatus, no filter" DescribeInstancesStatus '{"Limit":20}'
  p50 "DescribeInstancesStatus, InstanceIds one" DescribeInstancesStatus "{\"InstanceIds\":[\"$id\"]}"
  p50 "DescribeInstancesStatus, Offset $((n - 20))" DescribeInstancesStatus \
    "{\"Limit\":20,\"Offset\":$((n - 20))}"
  reset_ms "$n instances"
}

instances 100
instances "$many"

start
node bench/fill.mjs "127.0.0.1:$port" images "$few_images"
node bench/fill.mjs "127.0.0.1:$port" key-pairs "$few_images"
curl -s -o /dev/null -X POST "http://127.0.0.1:$port/_emulator/clock/advance?seconds=3600"
image=$(sql "SELECT image_id FROM images ORDER BY id LIMIT 1 OFFSET $((few_images / 2))")
key=$(sql "SELECT key_id FROM key_pairs ORDER BY id LIMIT 1 OFFSET $((few_images / 2))")
total_images=$few_images  # the public images come first: the last page
echo "== DescribeImages, Limit 20, $few_images custom images stored (all NORMAL)"
base=""
p50 "no filter" DescribeImages '{"Limit":20}'
p50 "ImageIds, one" DescribeImages "{\"ImageIds\":[\"$image\"]}"
p50 "image-id, one" DescribeImages "$(filter image-id "[\"$image\"]")"
p50 "image-type PUBLIC_IMAGE" DescribeImages "$(filter image-type '["PUBLIC_IMAGE"]')"
p50 "image-type PRIVATE_IMAGE, every custom image" DescribeImages \
  "$(filter image-type '["PRIVATE_IMAGE"]')"
p50 "image-type SHARED_IMAGE, no match" DescribeImages "$(filter image-type '["SHARED_IMAGE"]')"
p50 "image-state NORMAL, every image" DescribeImages "$(filter image-state '["NORMAL"]')"
p50 "image-state CREATING, no match" DescribeImages "$(filter image-state '["CREATING"]')"
p50 "image-type PRIVATE_IMAGE and image-state IMPORTING, no match" DescribeImages \
  "$(filter image-type '["PRIVATE_IMAGE"]' ',{"Name":"image-state","Values":["IMPORTING"]}')"
p50 "Offset $((total_images)), no filter" DescribeImages "{\"Limit\":20,\"Offset\":$total_images}"
echo "== DescribeKeyPairs, Limit 20, $few_images key pairs stored"
base=""
p50 "no filter" DescribeKeyPairs '{"Limit":20}'
p50 "KeyIds, one" DescribeKeyPairs "{\"KeyIds\":[\"$key\"]}"
p50 "key-name, one" DescribeKeyPairs "$(filter key-name "[\"bench_$((few_images / 2))\"]")"
p50 "key-name, no match" DescribeKeyPairs "$(filter key-name '["nope"]')"
p50 "project-id, no match" DescribeKeyPairs "$(filter project-id '["1"]')"
p50 "project-id, every key pair" DescribeKeyPairs "$(filter project-id '["0"]')"
p50 "Offset $((few_images - 20)), no filter" DescribeKeyPairs \
  "{\"Limit\":20,\"Offset\":$((few_images - 20))}"
reset_ms "$few_images images and $few_images key pairs"
echo "== DescribeHosts (100 and 10,000 hosts, by state and by ID): bench/hosts.sh"
