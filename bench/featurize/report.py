#!/usr/bin/env python3
"""Writes bench/results/NAME.json for the featurize benchmarks and prints the summary line.

usage: report.py NAME OURS DUCKDB OURS_CHECK DUCKDB_CHECK PANDAS MACHINE OUT [EXTRA]
OURS and DUCKDB are process_time.py results; the checks are `duckdb summarize` of each partials file; PANDAS is
peer_pandas.py's line or null; EXTRA is a JSON object merged into the result.
"""
import json
import os
import sys


def main():
    name = sys.argv[1]
    ours, duckdb, ours_check, duckdb_check, pandas = (json.loads(a) for a in sys.argv[2:7])
    machine, out = sys.argv[7], sys.argv[8]
    extra = json.loads(sys.argv[9]) if len(sys.argv) > 9 else {}
    size = ours["output"]["files"][0]["bytes"]
    ours_mbs = size / 1e6 / ours["seconds"]
    duckdb_mbs = size / 1e6 / duckdb["seconds"]
    agree = ours_check["cells"] == duckdb_check["cells"] and abs(ours_check["totalSpend"] - duckdb_check["totalSpend"]) <= 0.01 + 1e-9 * abs(duckdb_check["totalSpend"])
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
        "bytes": size,
        "partialsAgree": agree,
        "partials": {"ours": ours_check, "duckdb": duckdb_check},
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
        "runs": {"ours": ours, "duckdb": duckdb},
    }
    result.update(extra)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    line = (f"{name} {size / 1e6:.0f} MB, process start to partials written: ours {ours['seconds']:.2f} s ({ours_mbs:.0f} MB/s, "
            f"peak {ours['peakRssMiB']:.0f} MiB, {result['vectorBits']}-bit vectors); DuckDB {duckdb['seconds']:.2f} s "
            f"({duckdb_mbs:.0f} MB/s, peak {duckdb['peakRssMiB']:.0f} MiB); ratio {result['ratio']:.2f}x")
    if pandas is not None:
        line += f"; pandas {pandas['megabytesPerSecond']:.1f} MB/s ({result['secondPeer']['ratio']:.1f}x)"
    print(line)
    print(f"partials agree: {agree} (ours {ours_check['cells']:,} cells, {ours_check['totalSpend']:,.2f}; "
          f"DuckDB {duckdb_check['cells']:,} cells, {duckdb_check['totalSpend']:,.2f})")
    for bits, run in result.get("widths", {}).items():
        print(f"record splitter at {bits} bits, in one process: {run['megabytesPerSecond']:.0f} MB/s, {run['megabytesPerCpuSecond']:.0f} MB per CPU second")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wrote {out}")


if __name__ == "__main__":
    main()
