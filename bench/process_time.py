#!/usr/bin/env python3
"""Times whole processes from start to exit: wall seconds, CPU seconds and peak resident memory of each run.

usage: process_time.py RUNS -- COMMAND [ARGS...]  -> one JSON line
The figure is the best (lowest) wall time of RUNS runs, with the median beside it; peak memory is the largest of the
runs. The command's last stdout line, when it is JSON, is kept as "output" (from the best run). A run that fails stops
the timing with its exit code and error output.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(command):
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.stderr.write(err.read().decode(errors="replace"))
            sys.stderr.write(out.read().decode(errors="replace"))
            sys.exit(f"{command[0]} exited with {code}")
        lines = out.read().decode(errors="replace").strip().splitlines()
        try:
            output = json.loads(lines[-1]) if lines else None
        except json.JSONDecodeError:
            output = None
        return {
            "seconds": wall,
            "cpuSeconds": usage.ru_utime + usage.ru_stime,
            "peakRssMiB": usage.ru_maxrss / 1024,
            "output": output,
        }


def main():
    runs = int(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1:]
    results = [run_once(command) for _ in range(runs)]
    best = min(results, key=lambda r: r["seconds"])
    print(json.dumps({
        "runs": runs,
        "seconds": best["seconds"],
        "medianSeconds": statistics.median(r["seconds"] for r in results),
        "allSeconds": [round(r["seconds"], 3) for r in results],
        "cpuSeconds": best["cpuSeconds"],
        "peakRssMiB": max(r["peakRssMiB"] for r in results),
        "output": best["output"],
    }))


if __name__ == "__main__":
    main()
