#!/usr/bin/env bash
# Training throughput of the LSTM + ZILN trainer (forward, backward, clipping, Adam step per minibatch)
# against PyTorch CPU on the same shapes, optimizer and loss, 2 threads each, plus the measured FP32 peak.
#   bench/run.sh train          (SECONDS=5 per shape by default)
. "$(dirname "$0")/../lib.sh"
# Debian's python3-torch lives under /usr/bin/python3, not a python3 earlier on PATH.
seconds="${SECONDS_PER_SHAPE:-5}"
shapes="1024:24:16:64,1024:52:16:32"
threads=2

bench_apt python3-torch libopenblas0-pthread
bench_build

echo "load before: $(uptime)"
bench_harness train --threads "$threads" --seconds "$seconds" --shapes "$shapes" > "$BENCH_WORK/train-ours.json"
# PyTorch's OpenMP threads spin while they wait by default, which collapses its 2-thread speed when
# other processes share the cores; passive waiting is the fair setting for the peer on a shared machine.
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$BENCH_ROOT/train/peer_torch.py" --threads "$threads" --seconds "$seconds" --shapes "$shapes" > "$BENCH_WORK/train-torch.json"
echo "load after:  $(uptime)"

/usr/bin/python3 - "$BENCH_WORK/train-ours.json" "$BENCH_WORK/train-torch.json" "$BENCH_RESULTS/train.json" "$(uptime)" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))
peak = ours["peakGflops"]
rows = []
print(f"FP32 FMA peak: {ours['peakGflopsPerCore']:.1f} GFLOP/s per core x {ours['threads']} = {peak:.1f} GFLOP/s "
      f"(both cores at once: {ours['peakGflopsConcurrent']:.1f})")
for mine, theirs in zip(ours["shapes"], peer["shapes"]):
    ratio = mine["samplesPerSecond"] / theirs["samplesPerSecond"]
    share = 100 * mine["gflops"] / peak
    print(f"B={mine['batch']} T={mine['steps']} F={mine['features']} H={mine['hidden']}: "
          f"ours {mine['samplesPerSecond']:.0f} samples/s ({mine['gflops']:.1f} GFLOP/s, {share:.1f}% of peak), "
          f"PyTorch {theirs['samplesPerSecond']:.0f} samples/s ({theirs['gflops']:.1f} GFLOP/s), ratio {ratio:.2f}x; "
          f"per CPU-second ours {mine['samplesPerCpuSecond']:.0f}, PyTorch {theirs['samplesPerCpuSecond']:.0f}, "
          f"ratio {mine['samplesPerCpuSecond'] / theirs['samplesPerCpuSecond']:.2f}x")
    rows.append({**mine, "peerSamplesPerSecond": theirs["samplesPerSecond"], "peerGflops": theirs["gflops"],
                 "peerSamplesPerCpuSecond": theirs["samplesPerCpuSecond"],
                 "ratio": round(ratio, 3), "cpuTimeRatio": round(mine["samplesPerCpuSecond"] / theirs["samplesPerCpuSecond"], 3),
                 "percentOfPeak": round(share, 1)})
first = rows[0]
result = {
    "name": "train",
    "figure": first["samplesPerSecond"],
    "unit": "samples/s (B=1024, T=24, F=16, H=64, 2 threads)",
    "peer": f"PyTorch {peer['torch']} CPU, {peer['threads']} threads",
    "peerFigure": first["peerSamplesPerSecond"],
    "ratio": first["ratio"],
    "peakGflops": peak,
    "peakGflopsPerCore": ours["peakGflopsPerCore"],
    "peakGflopsConcurrent": ours["peakGflopsConcurrent"],
    "flops": "2*T*4H*(2F+3H) per sample: forward plus dW, dR, dh",
    "load": sys.argv[4].strip(),
    "shapes": rows,
}
json.dump(result, open(sys.argv[3], "w"), indent=2)
print(f"ratio {result['ratio']:.2f}x PyTorch at the first shape; wrote {sys.argv[3]}")
PY
