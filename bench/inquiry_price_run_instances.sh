#!/usr/bin/env bash
# Signed InquiryPriceRunInstances requests per second over plain HTTP
# (16 connections, 10 s, loopback): the document's first example (one
# S1.SMALL1, hourly), and a PREPAID year of 10 instances with a data disk and
# public bandwidth (every part of the price engine). Each request runs
# RunInstances' whole plan and creates nothing. Prints wrk's numbers.
# usage: bench/inquiry_price_run_instances.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}; conns=${2:-16}
. bench/signed_wrk.sh
run() { signed_wrk InquiryPriceRunInstances "$1" "$2"; }
run "example" '{"Placement":{"Zone":"ap-guangzhou-2"},"ImageId":"img-pmqg1cw8"}'
run "prepaid-10" '{"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-eb30mz89","InstanceType":"S2.MEDIUM4","InstanceCount":10,"InstanceChargeType":"PREPAID","InstanceChargePrepaid":{"Period":12},"DataDisks":[{"DiskType":"CLOUD_SSD","DiskSize":200}],"InternetAccessible":{"InternetChargeType":"TRAFFIC_POSTPAID_BY_HOUR","InternetMaxBandwidthOut":10}}'
