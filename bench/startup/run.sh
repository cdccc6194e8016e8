#!/usr/bin/env bash
# Start-up: `clv featurize` of a 1 MB export, timed from process start to exit (the fixed cost a small export pays:
# runtime start, loading, compiling), median of ten processes; DuckDB doing the same aggregation of the same file in a
# fresh process is the peer. clv runs as both builds users publish on this platform: natively compiled (the headline)
# and ReadyToRun (framework-dependent).
#
#   bench/run.sh startup
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

bench_build
bench_publish_clv
bench_publish_clv_native
export_file="$BENCH_WORK/startup-1MB.csv"
out="$BENCH_WORK/startup-out"
rm -rf "$out" && mkdir -p "$out"
[[ -f "$export_file" ]] || "$CLV" generate --output "$export_file" --size 1MB --seed 1 >/dev/null

echo "ours: clv featurize natively compiled of a 1 MB export, ten processes"
ours=$(bench_time 10 "$CLV_NATIVE" featurize --input "$export_file" --output "$out/ours" --json)
echo "$ours"
echo "ours: clv featurize ReadyToRun of a 1 MB export, ten processes"
ready_to_run=$(bench_time 10 "$CLV" featurize --input "$export_file" --output "$out/ready-to-run" --json)
echo "$ready_to_run"
echo "clv --help, ten processes each (the start-up alone)"
help=$(bench_time 10 "$CLV_NATIVE" --help)
ready_to_run_help=$(bench_time 10 "$CLV" --help)
echo "DuckDB: the same aggregation of the same file, ten processes"
duckdb=$(bench_time 10 dotnet "$BENCH_ROOT/Benchmarks/bin/Release/net10.0/Clv.Benchmarks.dll" duckdb featurize "$export_file" "$out/duckdb.parquet" synthetic 2)
echo "$duckdb"
# What featurize loads: assemblies opened by the process (strace, where installed); ONNX Runtime and the plotting
# stack must not be among them.
loaded="[]"
if command -v strace >/dev/null 2>&1; then
  loaded=$(strace -f -e trace=openat -o "$out/strace.txt" "$CLV_NATIVE" featurize --input "$export_file" --output "$out/traced" --json >/dev/null \
    && grep -oE '[A-Za-z0-9_.]+\.(dll|so)' "$out/strace.txt" | sort -u | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read().split()))') || loaded="[]"
else
  echo "SKIPPED loaded-assembly check: strace is not installed"
fi
machine=$(bench_harness machine)
python3 - "$ours" "$help" "$duckdb" "$machine" "$BENCH_RESULTS/startup.json" "$loaded" "$ready_to_run" "$ready_to_run_help" <<'PY'
import json, os, sys
ours, help_, duckdb = (json.loads(a) for a in sys.argv[1:4])
machine, out = sys.argv[4], sys.argv[5]
loaded = json.loads(sys.argv[6])
ready_to_run, ready_to_run_help = (json.loads(a) for a in sys.argv[7:9])
unwanted = [name for name in loaded if any(key in name for key in ("OnnxRuntime", "onnxruntime", "ScottPlot", "SkiaSharp", "HarfBuzz", "Azure."))]
result = {
    "name": "startup",
    "figure": round(ours["medianSeconds"], 3),
    "unit": "s wall, process start to partials written, 1 MB export (median of 10; lower is better)",
    "peer": "DuckDB (DuckDB.NET.Data.Full 1.5.6.1, fresh process, same aggregation to parquet)",
    "peerFigure": round(duckdb["medianSeconds"], 3),
    "ratio": round(duckdb["medianSeconds"] / ours["medianSeconds"], 2),
    "target": {"seconds": 0.5},
    "bestSeconds": round(ours["seconds"], 3),
    "cpuSeconds": round(ours["cpuSeconds"], 3),
    "peakMemoryMiB": round(ours["peakRssMiB"]),
    "helpMedianSeconds": round(help_["medianSeconds"], 3),
    "vectorBits": ours["output"].get("vectorBits"),
    "build": "clv natively compiled (dotnet publish -p:PublishAot=true)",
    "readyToRun": {
        "build": "dotnet publish src/Cli -r RID (ReadyToRun, framework-dependent)",
        "medianSeconds": round(ready_to_run["medianSeconds"], 3),
        "bestSeconds": round(ready_to_run["seconds"], 3),
        "cpuSeconds": round(ready_to_run["cpuSeconds"], 3),
        "peakMemoryMiB": round(ready_to_run["peakRssMiB"]),
        "helpMedianSeconds": round(ready_to_run_help["medianSeconds"], 3),
        "ratio": round(duckdb["medianSeconds"] / ready_to_run["medianSeconds"], 2),
        "vectorBits": ready_to_run["output"].get("vectorBits"),
    },
    "loaded": loaded,
    "unwantedLoaded": unwanted,
    "machine": machine,
    "cores": os.cpu_count(),
    "loadAverage": os.getloadavg(),
    "runs": {"ours": ours, "help": help_, "duckdb": duckdb, "readyToRun": ready_to_run, "readyToRunHelp": ready_to_run_help},
}
with open(out, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"startup, 1 MB export: clv featurize natively compiled {ours['medianSeconds']:.3f} s median (best {ours['seconds']:.3f} s, "
      f"{ours['cpuSeconds']:.3f} CPU s, peak {ours['peakRssMiB']:.0f} MiB; clv --help {help_['medianSeconds']:.3f} s); "
      f"ReadyToRun {ready_to_run['medianSeconds']:.3f} s (--help {ready_to_run_help['medianSeconds']:.3f} s); "
      f"DuckDB {duckdb['medianSeconds']:.3f} s; target 0.5 s")
if loaded:
    print(f"featurize opened {len(loaded)} assemblies and libraries; unwanted among them: {unwanted or 'none'}")
print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wrote {out}")
PY
