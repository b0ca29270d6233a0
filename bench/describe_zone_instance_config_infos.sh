#!/usr/bin/env bash
# Signed DescribeZoneInstanceConfigInfos requests per second over plain HTTP
# (16 connections, 10 s, loopback): the document's example (one zone,
# POSTPAID_BY_HOUR: 80 offers), one type in one zone (2 offers), and the
# whole region unfiltered (480 offers). Prints wrk's numbers.
# usage: bench/describe_zone_instance_config_infos.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}; conns=${2:-16}
. bench/signed_wrk.sh
run() { signed_wrk DescribeZoneInstanceConfigInfos "$1" "$2"; }
run "zone+charge-type" '{"Filters":[{"Name":"zone","Values":["ap-guangzhou-2"]},{"Name":"instance-charge-type","Values":["POSTPAID_BY_HOUR"]}]}'
run "zone+type" '{"Filters":[{"Name":"zone","Values":["ap-guangzhou-2"]},{"Name":"instance-type","Values":["S1.SMALL1"]}]}'
run "unfiltered" '{}'
