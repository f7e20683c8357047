#!/usr/bin/env bash
# A reload under load is no gap in answers: wrk for DURATION s against `kvarter serve` on the
# sample, first without reloads, then with a SIGHUP every 2 s. Passes when neither run has an
# error (socket errors, non-2xx) and the p99 with reloads is within 2x of the p99 without.
#   tests/load/reload_under_load.sh KVARTER_BINARY REPO [DURATION]
set -euo pipefail
bin="${1:?kvarter binary}"; repo="${2:?repository}"; duration="${3:-30}"
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/test installs it): skipped"; exit 77; }
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

KVARTER_DATA_DIR="$work" "$bin" serve --config "$repo/geodata/sample.json" --port 0 --address 127.0.0.1 \
  --threads 2 --log-level warn >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  port=$(grep -o 'at http://127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start:"; cat "$work/server.log"; exit 1; }
url="http://127.0.0.1:$port/collections/districts/items?limit=10"

# p99 in ms, and the error count, from wrk --latency output.
run_wrk() {
  wrk -t 2 -c 16 -d "${duration}s" --latency "$url" >"$work/$1.txt"
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' "$work/$1.txt" >"$work/$1.p99"
  errors=0
  if grep -q "Socket errors" "$work/$1.txt"; then
    errors=$(grep "Socket errors" "$work/$1.txt" | grep -o '[0-9]\+' | awk '{ s += $1 } END { print s + 0 }')
  fi
  non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$work/$1.txt" | grep -o '[0-9]*$' || echo 0)
  echo $((errors + non2xx)) >"$work/$1.errors"
  grep -o 'Requests/sec: *[0-9.]*' "$work/$1.txt" | grep -o '[0-9.]*$' >"$work/$1.rps"
}

run_wrk base
( while kill -0 "$server_pid" 2>/dev/null; do sleep 2; kill -HUP "$server_pid" 2>/dev/null || true; done ) &
hupper=$!
run_wrk reload
kill "$hupper" 2>/dev/null || true

base=$(cat "$work/base.p99"); reload=$(cat "$work/reload.p99")
printf 'without reloads: p99 %s ms, %s req/s, %s errors\n' "$base" "$(cat "$work/base.rps")" "$(cat "$work/base.errors")"
printf 'SIGHUP every 2 s: p99 %s ms, %s req/s, %s errors\n' "$reload" "$(cat "$work/reload.rps")" "$(cat "$work/reload.errors")"
kill -0 "$server_pid" || { echo "FAIL: the server died"; cat "$work/server.log"; exit 1; }
[ "$(cat "$work/base.errors")" = 0 ] && [ "$(cat "$work/reload.errors")" = 0 ] ||
  { echo "FAIL: errors"; cat "$work/base.txt" "$work/reload.txt"; exit 1; }
awk -v b="$base" -v r="$reload" 'BEGIN { exit !(r <= 2 * b) }' ||
  { echo "FAIL: p99 with reloads is more than 2x without"; cat "$work/reload.txt"; exit 1; }
echo "ok"
