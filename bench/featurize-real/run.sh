#!/usr/bin/env bash
# Featurize on an export shaped like a real shop's order lines (~50 MB: invoice, stock code, free-text description with
# commas and quotes, quantity, ISO timestamp, unit price, customer id blank on a quarter of the lines, country;
# cancellations as negative quantities): `clv featurize` (day partials, amount = quantity x unit price) against DuckDB
# doing the same aggregation to Parquet, both from process start to partials written, best of five processes each,
# with peak memory; pandas with native types as a second peer. clv runs as both published builds: natively compiled
# (the headline) and ReadyToRun.
#
#   bench/run.sh featurize-real
#   FEATURIZE_REAL_BYTES=10000000 bench/run.sh featurize-real
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
featurize="$BENCH_ROOT/featurize"

bench_apt python3-pandas
bench_build
bench_publish_clv
bench_publish_clv_native
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3

bytes="${FEATURIZE_REAL_BYTES:-50000000}"
seed=1
export_file="$BENCH_WORK/retail-$bytes-$seed.csv"
out="$BENCH_WORK/featurize-real-out"
rm -rf "$out" && mkdir -p "$out"
if [[ ! -f "$export_file" ]]; then
  echo "generating $export_file (~$((bytes / 1000000)) MB)"
  bench_harness duckdb retail-generate "$export_file" "$bytes" "$seed"
fi

# Guest lines (no customer id) are a quarter of the file, above the default rejected-share threshold: allow them.
echo "ours: clv featurize natively compiled, process start to partials written, best of five"
ours=$(bench_time 5 "$CLV_NATIVE" featurize --input "$export_file" --output "$out/ours" --max-rejected-share 1 --json)
echo "$ours"
echo "ours: clv featurize ReadyToRun, process start to partials written, best of five"
ready_to_run=$(bench_time 5 "$CLV" featurize --input "$export_file" --output "$out/ready-to-run" --max-rejected-share 1 --json)
echo "$ready_to_run"
echo "DuckDB: read_csv + GROUP BY customer, day + COPY TO parquet, process start to partials written, best of five"
duckdb=$(bench_time 5 dotnet "$BENCH_ROOT/Benchmarks/bin/Release/net10.0/Clv.Benchmarks.dll" duckdb featurize "$export_file" "$out/duckdb.parquet" retail 2)
echo "$duckdb"
ours_check=$(bench_harness duckdb summarize "$out/ours/features/$(basename "$export_file" .csv).parquet")
ready_to_run_check=$(bench_harness duckdb summarize "$out/ready-to-run/features/$(basename "$export_file" .csv).parquet")
duckdb_check=$(bench_harness duckdb summarize "$out/duckdb.parquet")
echo "pandas: retail, native types"
pandas=$("$py" "$featurize/peer_pandas.py" "$export_file" retail)
echo "$pandas"

# The record splitter at each vector width this machine runs, in one process each (steady state, best of three).
widths=""
for bits in 512 256 128 0; do
  if run=$(CLV_FEATURIZE_VECTOR_BITS=$bits bench_harness featurize run "$export_file" 3 2>/dev/null); then
    echo "ours at $bits bits: $run"
    widths+="${widths:+,}\"$bits\": $run"
  else
    echo "SKIPPED $bits-bit vectors: this machine does not accelerate them"
  fi
done

machine=$(bench_harness machine)
python3 "$featurize/report.py" featurize-real "$ours" "$ready_to_run" "$duckdb" "$ours_check" "$ready_to_run_check" "$duckdb_check" "$pandas" "$machine" "$BENCH_RESULTS/featurize-real.json" \
  "{\"widths\": {$widths}}"
