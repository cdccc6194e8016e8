#!/usr/bin/env python3
"""Writes bench/results/NAME.json for the featurize benchmarks and prints the summary line.

usage: report.py NAME OURS READY_TO_RUN DUCKDB OURS_CHECK READY_TO_RUN_CHECK DUCKDB_CHECK PANDAS MACHINE OUT [EXTRA]
OURS (clv natively compiled), READY_TO_RUN (clv published ReadyToRun, framework-dependent) and DUCKDB are
process_time.py results; the checks are `duckdb summarize` of each partials file; PANDAS is peer_pandas.py's line or
null; EXTRA is a JSON object merged into the result. The headline figure and ratio are the natively compiled clv's;
`builds` holds both builds' figures.
"""
import json
import os
import sys


def main():
    name = sys.argv[1]
    ours, ready_to_run, duckdb, ours_check, ready_to_run_check, duckdb_check, pandas = (json.loads(a) for a in sys.argv[2:9])
    machine, out = sys.argv[9], sys.argv[10]
    extra = json.loads(sys.argv[11]) if len(sys.argv) > 11 else {}
    size = ours["output"]["files"][0]["bytes"]
    ours_mbs = size / 1e6 / ours["seconds"]
    duckdb_mbs = size / 1e6 / duckdb["seconds"]
    agree = ours_check["cells"] == duckdb_check["cells"] and abs(ours_check["totalSpend"] - duckdb_check["totalSpend"]) <= 0.01 + 1e-9 * abs(duckdb_check["totalSpend"])
    builds_agree = ours_check == ready_to_run_check

    def build(run, name):
        return {
            "build": name,
            "seconds": round(run["seconds"], 3),
            "medianSeconds": round(run["medianSeconds"], 3),
            "ratio": round(duckdb["seconds"] / run["seconds"], 2),
            "peakMemoryMiB": round(run["peakRssMiB"]),
            "cpuSeconds": round(run["cpuSeconds"], 3),
            "vectorBits": run["output"].get("vectorBits"),
        }
    result = {
        "name": name,
        "figure": round(ours_mbs, 1),
        "unit": "MB/s (process start to partials written)",
        "peer": "DuckDB (DuckDB.NET.Data.Full 1.5.6.1 in process, 2 threads: read_csv with explicit types, GROUP BY customer, day, COPY TO parquet)",
        "peerFigure": round(duckdb_mbs, 1),
        "ratio": round(duckdb["seconds"] / ours["seconds"], 2),
        "target": {"ratio": 2},
        "seconds": round(ours["seconds"], 3),
        "peerSeconds": round(duckdb["seconds"], 3),
        "peakMemoryMiB": round(ours["peakRssMiB"]),
        "peerPeakMemoryMiB": round(duckdb["peakRssMiB"]),
        "cpuSeconds": round(ours["cpuSeconds"], 3),
        "peerCpuSeconds": round(duckdb["cpuSeconds"], 3),
        "vectorBits": ours["output"].get("vectorBits"),
        "build": "clv natively compiled (dotnet publish -p:PublishAot=true)",
        "builds": {
            "native": build(ours, "dotnet publish src/Cli -r RID -p:PublishAot=true"),
            "readyToRun": build(ready_to_run, "dotnet publish src/Cli -r RID (ReadyToRun, framework-dependent)"),
        },
        "bytes": size,
        "partialsAgree": agree,
        "buildsAgree": builds_agree,
        "partials": {"ours": ours_check, "readyToRun": ready_to_run_check, "duckdb": duckdb_check},
        "secondPeer": None if pandas is None else {
            "peer": "pandas (read_csv + groupby)",
            "figure": round(pandas["megabytesPerSecond"], 1),
            "ratio": round(ours_mbs / pandas["megabytesPerSecond"], 2),
            "peakMemoryMiB": round(pandas["peakRssMiB"]),
            "run": pandas,
        },
        "machine": machine,
        "cores": os.cpu_count(),
        "loadAverage": os.getloadavg(),
        "runs": {"ours": ours, "readyToRun": ready_to_run, "duckdb": duckdb},
    }
    result.update(extra)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    r2r = result["builds"]["readyToRun"]
    line = (f"{name} {size / 1e6:.0f} MB, process start to partials written: clv natively compiled {ours['seconds']:.2f} s "
            f"({ours_mbs:.0f} MB/s, peak {ours['peakRssMiB']:.0f} MiB, {result['vectorBits']}-bit vectors); DuckDB "
            f"{duckdb['seconds']:.2f} s ({duckdb_mbs:.0f} MB/s, peak {duckdb['peakRssMiB']:.0f} MiB); ratio {result['ratio']:.2f}x; "
            f"clv ReadyToRun {r2r['seconds']:.2f} s ({r2r['ratio']:.2f}x, peak {r2r['peakMemoryMiB']} MiB, {r2r['vectorBits']}-bit vectors)")
    if pandas is not None:
        line += f"; pandas {pandas['megabytesPerSecond']:.1f} MB/s ({result['secondPeer']['ratio']:.1f}x)"
    print(line)
    print(f"both builds' partials alike: {builds_agree}; partials agree with DuckDB's: {agree} (ours {ours_check['cells']:,} cells, {ours_check['totalSpend']:,.2f}; "
          f"DuckDB {duckdb_check['cells']:,} cells, {duckdb_check['totalSpend']:,.2f})")
    for bits, run in result.get("widths", {}).items():
        print(f"record splitter at {bits} bits, in one process: {run['megabytesPerSecond']:.0f} MB/s, {run['megabytesPerCpuSecond']:.0f} MB per CPU second")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wrote {out}")


if __name__ == "__main__":
    main()
