#!/usr/bin/env bash
# The test command: installs what is missing (pinned), starts Azurite on 127.0.0.1, runs every test
# project, builds and lints the Bicep templates, and prints one summary line "N passed, N failed".
#
#   ./test.sh                 everything
#   ./test.sh --filter EXPR   only tests matching a dotnet test filter (Bicep and the Functions app still built and checked)
#
# Needs: .NET 10 SDK, Node.js with npm, git. Everything else is installed under .tools/ (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

filter=""
if [[ "${1:-}" == "--filter" ]]; then
  filter="${2:?--filter needs an expression}"
fi

configuration=Release
tools="$root/.tools"
work="$(mktemp -d "${TMPDIR:-/tmp}/clv-test.XXXXXX")"
azurite_pid=""

cleanup() {
  local status=$?
  if [[ -n "$azurite_pid" ]] && kill -0 "$azurite_pid" 2>/dev/null; then
    kill "$azurite_pid" 2>/dev/null || true
    wait "$azurite_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

log() { printf '==> %s\n' "$*"; }

# --- Azurite (pinned in tools/azurite/package-lock.json) ---------------------------------------
install_azurite() {
  local dir="$tools/azurite"
  if [[ -x "$dir/node_modules/.bin/azurite" ]] && cmp -s tools/azurite/package-lock.json "$dir/package-lock.json"; then
    return
  fi
  log "installing Azurite into .tools/azurite"
  mkdir -p "$dir"
  cp tools/azurite/package.json tools/azurite/package-lock.json "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

wait_for_port() {
  local port=$1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "Azurite did not start listening on 127.0.0.1:$port; its log follows" >&2
  cat "$work/azurite.log" >&2 || true
  return 1
}

start_azurite() {
  install_azurite
  local blob queue table
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  mkdir -p "$work/azurite"
  "$tools/azurite/node_modules/.bin/azurite" \
    --silent --loose --skipApiVersionCheck --disableProductStyleUrl \
    --location "$work/azurite" \
    --blobHost 127.0.0.1 --blobPort "$blob" \
    --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" \
    >"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  wait_for_port "$blob"; wait_for_port "$queue"; wait_for_port "$table"
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export CLV_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  export CLV_REQUIRE_STORAGE=1
  log "Azurite on 127.0.0.1 (blob $blob, queue $queue, table $table)"
}

# --- Bicep CLI (pinned NuGet PackageDownload in tools/bicep) ------------------------------------
# Builds main.bicep and every parameter file, lints every .bicep and .bicepparam file under
# infra/bicep in one run (the linter rules in infra/bicep/bicepconfig.json are errors; any warning
# fails the run too), and exports the compiled template and the CLI for src/Infra.Tests.
bicep_checks() {
  dotnet restore tools/bicep/Bicep.csproj --verbosity quiet >/dev/null
  local packages bicep
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  bicep="$packages/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
  chmod +x "$bicep"
  log "bicep build + lint (infra/bicep)"
  local out step
  mkdir -p "$work/arm"
  for step in "build infra/bicep/main.bicep --outdir $work/arm" \
              "build-params --pattern infra/bicep/*.bicepparam --outdir $work/arm" \
              "lint --pattern infra/bicep/**/*.bicep*"; do
    # shellcheck disable=SC2086 # each step is a word list; the patterns are expanded by bicep, not the shell
    out=$(set -f; "$bicep" $step 2>&1) || { echo "$out"; echo "bicep $step failed" >&2; return 1; }
    if grep -qiE 'warning|error' <<<"$out"; then
      echo "$out"
      echo "bicep $step reported problems (warnings fail the run)" >&2
      return 1
    fi
  done
  export CLV_ARM_TEMPLATE="$work/arm/main.json"
  export CLV_BICEP="$bicep"
}

# --- Functions app: the GPU flavor and the published package (the CPU flavor builds with the solution) ------
# A restore or build failure fails the run with its reason. The package is what infra/deploy.sh zips for
# Flex Consumption: Linux x64, ReadyToRun; src/Infra.Tests checks it (CLV_FUNCTIONS_PUBLISH).
functions_check() {
  log "building src/Functions, GPU flavor (-p:ClvGpu=true: ONNX Runtime for CUDA 13)"
  if ! dotnet build src/Functions/Functions.csproj -c "$configuration" -p:ClvGpu=true -nologo -clp:ErrorsOnly -v:q; then
    echo "build of the GPU flavor of src/Functions failed (the errors above name the package or file)" >&2
    return 1
  fi
  export CLV_REQUIRE_GPU_BUILD=1
  log "publishing src/Functions (linux-x64, ReadyToRun)"
  if ! dotnet publish src/Functions/Functions.csproj -c "$configuration" -o "$work/functions" -nologo -clp:ErrorsOnly -v:q; then
    echo "publish of src/Functions failed (the errors above name the package or file)" >&2
    return 1
  fi
  echo "published src/Functions: $(du -sm "$work/functions" | cut -f1) MB in $(find "$work/functions" -type f | wc -l) files"
  export CLV_FUNCTIONS_PUBLISH="$work/functions"
}

# --- clv natively compiled: what `dotnet publish src/Cli -r RID -p:PublishAot=true` gives users --------------------
# src/Cli.Tests runs it beside the managed tool (CLV_NATIVE): the same partials and JSON, the whole demo, and `clv host`
# refused with the reason. Trim and AOT warnings are allowed from Parquet.Net alone (its class serializer, which clv
# does not use); any other assembly that reports one fails the run.
native_clv() {
  local rid log others
  rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  if ! command -v gcc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
    echo "SKIPPED natively compiled clv: no C compiler and linker (gcc or clang) to link it with"
    return 0
  fi
  log "publishing clv natively compiled ($rid, -p:PublishAot=true)"
  log="$work/clv-native.log"
  if ! dotnet publish src/Cli/Cli.csproj -c "$configuration" -r "$rid" -p:PublishAot=true -o "$work/clv-native" -nologo >"$log" 2>&1; then
    grep -E 'error|warning' "$log" | sort -u | head -50
    echo "native publish of src/Cli failed (the lines above name the cause)" >&2
    return 1
  fi
  others=$(grep -oE "(warning IL[0-9]+: .*|Assembly '[^']+' produced [a-zA-Z ]*warnings)" "$log" | grep -v "Assembly 'Parquet' produced" | sort -u || true)
  if [[ -n "$others" ]]; then
    echo "$others"
    echo "the native publish of src/Cli reported trim or AOT warnings beyond Parquet.Net's (above)" >&2
    return 1
  fi
  echo "published clv natively compiled: $(du -m "$work/clv-native/clv" | cut -f1) MB executable"
  export CLV_NATIVE="$work/clv-native/clv"
}

# --- ONNX checker: the exported model against the reference checker, where python3-onnx is present --------
onnx_check() {
  if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
    log "ONNX checker (checks/onnx-checker.sh)"
    bash checks/onnx-checker.sh
  else
    echo "SKIPPED ONNX checker: python3-onnx is not installed (checks/onnx-checker.sh installs it and runs the check)"
  fi
}

# --- Parquet check: partials read back by a reader independent of Parquet.Net, where python3 is present ----
parquet_check() {
  if command -v python3 >/dev/null 2>&1 || [[ -x /usr/bin/python3 ]]; then
    log "Parquet check (checks/parquet-check.sh)"
    bash checks/parquet-check.sh
  else
    echo "SKIPPED Parquet check: python3 is not installed (checks/parquet-check.sh needs only its standard library)"
  fi
}

# --- Tests ---------------------------------------------------------------------------------------
passed=0; failed=0; skipped=0
run_tests() {
  local project=$1 out status=0
  local args=(test "$project" -c "$configuration" --no-build --nologo --logger "console;verbosity=normal")
  if [[ -n "$filter" ]]; then args+=(--filter "$filter"); fi
  out="$work/$(basename "$project" .csproj).log"
  dotnet "${args[@]}" >"$out" 2>&1 || status=$?
  # Show failures with their messages and skips with their reasons; keep the rest in the log.
  grep -E '^\s+Failed |Error Message|Assert\.|^\s+at Clv\.' "$out" | head -200 || true
  awk '/\[SKIP\]/ { sub(/^\[xUnit\.net [0-9:.]+\] +/, ""); sub(/ \[SKIP\]$/, ""); name = $0; getline; sub(/^\[xUnit\.net [0-9:.]+\] +/, ""); print "skipped " name ": " $0 }' "$out" || true
  # VSTest's closing block: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N" lines.
  if ! grep -qE '^Total tests: [0-9]+' "$out"; then
    if grep -q 'No test matches the given testcase filter' "$out"; then return 0; fi
    cat "$out"
    failed=$((failed + 1))
    echo "test run of $project did not complete" >&2
    return 0
  fi
  local f p s
  count() { grep -E "^\s+$1: [0-9]+" "$out" | tail -1 | grep -oE '[0-9]+' || echo 0; }
  p=$(count Passed); f=$(count Failed); s=$(count Skipped)
  echo "$(basename "$project" .csproj): $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [[ $status -ne 0 && $f -eq 0 ]]; then
    cat "$out"
    failed=$((failed + 1))
  fi
}

log "restoring and building (Release)"
dotnet build Serverless.sln -c "$configuration" -nologo -clp:ErrorsOnly -v:q

functions_check
native_clv
bicep_checks
onnx_check
parquet_check
start_azurite

for project in src/*.Tests/*.Tests.csproj; do
  log "testing $project"
  run_tests "$project"
done

# --- Narrower vector widths: the LSTM kernel, vector math and featurizer width tests again with AVX-512, ----
# then AVX2, switched off. The runtime's switches make the kernels pick their 256-bit, then 128-bit paths at
# start-up, as on a machine without them. .NET 10 reads DOTNET_EnableAVX512; earlier runtimes DOTNET_EnableAVX512F.
vector_width_tests() {
  local widths='FullyQualifiedName~Clv.Modeling.Tests.Lstm.LstmKernel|FullyQualifiedName~Clv.Modeling.Tests.Lstm.VectorMath|FullyQualifiedName~VectorWidthTests'
  local filter="${filter:+($filter)&}($widths)" switches
  for switches in "DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0" "DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0 DOTNET_EnableAVX2=0"; do
    log "testing the vector paths with $switches"
    # shellcheck disable=SC2086 # the switches are a word list of NAME=0, unset by name
    export $switches
    run_tests src/Modeling.Tests/Modeling.Tests.csproj
    unset ${switches//=0/}
  done
}
vector_width_tests

summary="$passed passed, $failed failed"
if [[ $skipped -gt 0 ]]; then summary="$summary, $skipped skipped"; fi
echo
echo "$summary"
[[ $failed -eq 0 ]]
