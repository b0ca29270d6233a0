# Sourced by the wrk benchmarks of one action: starts ./build/cvm-emulator
# on a free port over :memory: (stopped on exit) and defines
#   signed_wrk ACTION NAME BODY
# which runs wrk with a TC3-signed request of ACTION carrying the JSON BODY
# (bench/tc3_sign.mjs) and prints its numbers under a "== ..." heading.
# Expects duration and conns to be set.
dir=$(mktemp -d)
./build/cvm-emulator --port 0 --port-file "$dir/port" --data-dir "$dir" --db :memory: \
  --log-level warn >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
port=$(cat "$dir/port")
signed_wrk() {
  local action=$1 name=$2 body=$3
  node bench/tc3_sign.mjs "127.0.0.1:$port" "$action" "$body" > "$dir/$name.lua"
  echo "== signed $action, $name, plain HTTP, $conns connections, $duration"
  wrk -t2 -c"$conns" -d"$duration" -s "$dir/$name.lua" "http://127.0.0.1:$port/"
}
