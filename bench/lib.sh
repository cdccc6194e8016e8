#!/usr/bin/env bash
# Helpers shared by the benchmark scripts. Source it: . "$(dirname "$0")/../lib.sh"
set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_ROOT/.." && pwd)"
BENCH_WORK="$BENCH_ROOT/work"
BENCH_RESULTS="$BENCH_ROOT/results"
mkdir -p "$BENCH_WORK" "$BENCH_RESULTS"

# Installs Debian packages for a peer when they are missing (benchmarks only, never the product).
bench_apt() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installing peer packages: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Builds the benchmark harness (Release) once per script run.
bench_build() {
  dotnet build "$BENCH_ROOT/Benchmarks/Benchmarks.csproj" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
}

# Runs the benchmark harness: bench_harness NAME [ARGS...]
bench_harness() {
  dotnet "$BENCH_ROOT/Benchmarks/bin/Release/net10.0/Clv.Benchmarks.dll" "$@"
}

# Publishes clv as users run it on this platform (ReadyToRun, framework-dependent) into bench/work/clv; sets CLV.
bench_publish_clv() {
  local rid
  rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  dotnet publish "$REPO_ROOT/src/Cli/Cli.csproj" -c Release -r "$rid" --self-contained false -o "$BENCH_WORK/clv" \
    -nologo -clp:ErrorsOnly -v:q >/dev/null
  CLV="$BENCH_WORK/clv/clv"
}

# Publishes clv natively compiled (NativeAOT, what `dotnet publish src/Cli -r RID -p:PublishAot=true` gives users) into
# bench/work/clv-native; sets CLV_NATIVE.
bench_publish_clv_native() {
  local rid
  rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  dotnet publish "$REPO_ROOT/src/Cli/Cli.csproj" -c Release -r "$rid" -p:PublishAot=true -o "$BENCH_WORK/clv-native" \
    -nologo -clp:ErrorsOnly -v:q >/dev/null
  CLV_NATIVE="$BENCH_WORK/clv-native/clv"
}

# Times whole processes, start to exit: bench_time RUNS COMMAND [ARGS...] -> one JSON line (best and median wall
# seconds, CPU seconds, peak resident memory, and the command's own last JSON line).
bench_time() {
  local runs=$1
  shift
  python3 "$BENCH_ROOT/process_time.py" "$runs" -- "$@"
}
