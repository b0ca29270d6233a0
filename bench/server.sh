# Sourced by the benchmarks: starts the server under test.
#   start_server [--from DATABASE] [FLAG...]
# stops the server this script started before (if any), then starts
# ${CVM_EMULATOR:-./build/cvm-emulator} with the FLAGs on a free loopback
# port, with a fresh file database in $dir/data (or a copy of DATABASE), and
# waits until it listens; sets pid and port. Expects dir (the script's
# temporary directory) and an EXIT trap of the script's own that stops $pid.
start_server() {
  local from=""
  if [ "${1:-}" = --from ]; then from=$2; shift 2; fi
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir/data"; mkdir -p "$dir/data"; rm -f "$dir/port"
  if [ -n "$from" ]; then cp "$from" "$dir/data/cvm.sqlite3"; fi
  "${CVM_EMULATOR:-./build/cvm-emulator}" --port 0 --port-file "$dir/port" --data-dir "$dir/data" \
    --log-level warn "$@" >"$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 400); do [ -s "$dir/port" ] && break; sleep 0.05; done
  port=$(cat "$dir/port")
}
