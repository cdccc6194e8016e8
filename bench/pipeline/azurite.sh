#!/usr/bin/env bash
# Starts a private Azurite on free loopback ports for a benchmark; sets CLV_BENCH_STORAGE and stops it on exit.
# Source after lib.sh: . "$BENCH_ROOT/pipeline/azurite.sh"; bench_azurite_start [EXTRA AZURITE ARGS...]
bench_azurite_start() {
  local dir="$REPO_ROOT/.tools/azurite"
  if [[ ! -x "$dir/node_modules/.bin/azurite" ]]; then
    mkdir -p "$dir"
    cp "$REPO_ROOT/tools/azurite/package.json" "$REPO_ROOT/tools/azurite/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  local port blob queue table
  port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }
  blob=$(port); queue=$(port); table=$(port)
  BENCH_AZURITE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/clv-bench-azurite.XXXXXX")"
  # --inMemoryPersistence keeps everything in memory and cannot be combined with --location.
  local location=(--location "$BENCH_AZURITE_DIR")
  [[ " $* " == *" --inMemoryPersistence "* ]] && location=()
  "$dir/node_modules/.bin/azurite" --silent --loose --skipApiVersionCheck --disableProductStyleUrl \
    "${location[@]}" --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" "$@" >"$BENCH_AZURITE_DIR/azurite.log" 2>&1 &
  BENCH_AZURITE_PID=$!
  trap 'kill $BENCH_AZURITE_PID 2>/dev/null || true; wait $BENCH_AZURITE_PID 2>/dev/null || true; rm -rf "$BENCH_AZURITE_DIR"' EXIT
  for p in "$blob" "$queue" "$table"; do
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.1; done
  done
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export CLV_BENCH_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}
