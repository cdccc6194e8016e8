#!/usr/bin/env bash
# Featurize, end to end: `clv featurize` (day partials to Parquet) against DuckDB doing the same per-(customer, day)
# aggregation from the same CSV to Parquet, in process with 2 threads (read_csv with explicit types, GROUP BY, COPY TO
# parquet), in the same run. Both are timed from process start to partials written (best of three processes each), with
# each process's peak memory. pandas (read_csv + groupby) stays as a second peer; CDNOW is measured beside. clv runs as
# both published builds: natively compiled (the headline) and ReadyToRun.
# Ours is also run three times inside one process (the steady state of a host that featurizes export after export).
#
#   bench/run.sh featurize                    ~1 GB generated export (FEATURIZE_BYTES to change) and CDNOW
#   FEATURIZE_BYTES=250000000 bench/run.sh featurize
#   FEATURIZE_PANDAS=0 bench/run.sh featurize  leaves pandas out (it needs minutes and ~9 GB on the 1 GB file)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$BENCH_ROOT/featurize"

if [[ "${FEATURIZE_PANDAS:-1}" != 0 ]]; then bench_apt python3-pandas; fi
bench_build
bench_publish_clv
bench_publish_clv_native
# The Debian package installs pandas for the system interpreter, which may not be the first python3 on PATH.
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3

bytes="${FEATURIZE_BYTES:-1000000000}"
seed=1
synthetic="$BENCH_WORK/featurize-synthetic-$bytes-$seed.csv"
cdnow="$REPO_ROOT/../shared/data/cdnow/CDNOW_master.txt"
out="$BENCH_WORK/featurize-out"
rm -rf "$out" && mkdir -p "$out"

if [[ ! -f "$synthetic" ]]; then
  echo "generating $synthetic (~$((bytes / 1000000)) MB)"
  bench_harness featurize generate "$synthetic" "$bytes" "$seed"
fi

echo "ours: clv featurize natively compiled, process start to partials written, best of three"
ours=$(bench_time 3 "$CLV_NATIVE" featurize --input "$synthetic" --output "$out/ours" --json)
echo "$ours"
echo "ours: clv featurize ReadyToRun, process start to partials written, best of three"
ready_to_run=$(bench_time 3 "$CLV" featurize --input "$synthetic" --output "$out/ready-to-run" --json)
echo "$ready_to_run"
echo "DuckDB: read_csv + GROUP BY customer, day + COPY TO parquet, process start to partials written, best of three"
duckdb=$(bench_time 3 dotnet "$BENCH_ROOT/Benchmarks/bin/Release/net10.0/Clv.Benchmarks.dll" duckdb featurize "$synthetic" "$out/duckdb.parquet" synthetic 2)
echo "$duckdb"
ours_check=$(bench_harness duckdb summarize "$out/ours/features/$(basename "$synthetic" .csv).parquet")
ready_to_run_check=$(bench_harness duckdb summarize "$out/ready-to-run/features/$(basename "$synthetic" .csv).parquet")
duckdb_check=$(bench_harness duckdb summarize "$out/duckdb.parquet")
echo "partials read back by DuckDB: ours $ours_check; DuckDB's $duckdb_check"

echo "ours: in one process, best of three"
steady=$(bench_harness featurize run "$synthetic" 3)
echo "$steady"

peer_synthetic="null"
if [[ "${FEATURIZE_PANDAS:-1}" != 0 ]]; then
  echo "pandas: synthetic"
  peer_synthetic=$("$py" "$here/peer_pandas.py" "$synthetic" synthetic)
  echo "$peer_synthetic"
fi

ours_cdnow="null"; peer_cdnow="null"
if [[ -f "$cdnow" ]]; then
  echo "ours: CDNOW"
  ours_cdnow=$(bench_harness featurize run "$cdnow" 30)
  echo "$ours_cdnow"
  if [[ "${FEATURIZE_PANDAS:-1}" != 0 ]]; then
    echo "pandas: CDNOW"
    peer_cdnow=$("$py" "$here/peer_pandas.py" "$cdnow" cdnow)
    echo "$peer_cdnow"
  fi
else
  echo "SKIPPED CDNOW: $cdnow not found"
fi

machine=$(bench_harness machine)
python3 "$here/report.py" featurize "$ours" "$ready_to_run" "$duckdb" "$ours_check" "$ready_to_run_check" "$duckdb_check" "$peer_synthetic" "$machine" "$BENCH_RESULTS/featurize.json" \
  "{\"steady\": $steady, \"cdnow\": {\"ours\": $ours_cdnow, \"pandas\": $peer_cdnow}}"
