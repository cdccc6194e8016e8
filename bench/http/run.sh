#!/usr/bin/env bash
# Single-customer HTTP latency (p50/p99) of GET /api/customers/{id}/clv on the local host over Azurite, under a
# bounded load (fixed request count, fixed concurrency) from a second process on loopback; peer: the same
# load against a minimal ASP.NET Core endpoint returning a constant, in the same run.
#
#   bench/run.sh http      defaults: 5000 customers, 4000 requests, concurrency 8
. "$(dirname "$0")/../lib.sh"
. "$BENCH_ROOT/pipeline/azurite.sh"
bench_azurite_start
dotnet build "$BENCH_ROOT/http/HttpBench/HttpBench.csproj" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
exe="$BENCH_ROOT/http/HttpBench/bin/Release/net10.0/Clv.HttpBench.dll"
customers="${CLV_BENCH_CUSTOMERS:-5000}"; requests="${CLV_BENCH_REQUESTS:-4000}"; concurrency="${CLV_BENCH_CONCURRENCY:-8}"
work="$(mktemp -d "${TMPDIR:-/tmp}/clv-bench-http.XXXXXX")"

# serve MODE ARGS...: starts a server with stdin held open by a fifo, waits for READY, sets url and server_pid.
serve() {
  mkfifo "$work/in-$1"
  dotnet "$exe" "$@" <"$work/in-$1" >"$work/out-$1" 2>&1 &
  server_pid=$!
  exec {hold}>"$work/in-$1"
  for _ in $(seq 1 600); do grep -q '^READY ' "$work/out-$1" && break; sleep 0.1; done
  url=$(grep '^READY ' "$work/out-$1" | head -1 | cut -d' ' -f2)
  [[ -n "$url" ]] || { cat "$work/out-$1"; echo "server $1 did not start" >&2; exit 1; }
}
stop() { exec {hold}>&-; wait "$server_pid" 2>/dev/null || true; }

serve serve-clv "$customers"
dotnet "$exe" load "$url" "$customers" "$requests" "$concurrency" "$work/ours.json"
stop
serve serve-constant
dotnet "$exe" load "$url" "$customers" "$requests" "$concurrency" "$work/peer.json"
stop
dotnet "$exe" report "$work/ours.json" "$work/peer.json" "$BENCH_RESULTS/http.json"
rm -rf "$work"
