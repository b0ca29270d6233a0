# Sourced by the wrk benchmarks of one action: starts the server (bench/server.sh)
# on a free port over :memory: (stopped on exit) and defines
#   signed_wrk ACTION NAME BODY
# which runs wrk with a TC3-signed request of ACTION carrying the JSON BODY
# (bench/tc3_sign.mjs) and prints its numbers under a "== ..." heading.
# Expects duration and conns to be set.
dir=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
. bench/server.sh
start_server --db :memory:
signed_wrk() {
  local action=$1 name=$2 body=$3
  node bench/tc3_sign.mjs "127.0.0.1:$port" "$action" "$body" > "$dir/$name.lua"
  echo "== signed $action, $name, plain HTTP, $conns connections, $duration"
  wrk -t2 -c"$conns" -d"$duration" -s "$dir/$name.lua" "http://127.0.0.1:$port/"
}
