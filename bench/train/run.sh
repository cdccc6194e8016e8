#!/usr/bin/env bash
# Training throughput of the LSTM + ZILN trainer (forward, backward, clipping, Adam step per minibatch)
# against PyTorch CPU on the same shapes, optimizer and loss, 2 threads each, at every vector width the
# machine accelerates, with the FP32 multiply-add peak measured at each width.
#   bench/run.sh train     (SECONDS_PER_SHAPE=4 per shape and ROUNDS=3 by default)
# Widths: the widest first, then AVX-512 switched off (256-bit: AVX2 + FMA), then AVX2 switched off
# (128-bit: SSE), each a runtime switch on our process; widths the machine lacks are left out. PyTorch
# runs in the same round with its own kernels capped at the same instruction set (ATen's CPU capability,
# OpenBLAS's core type, oneDNN's ISA), as it would run on a machine of that width.
# Every sequence has the full length T on both sides. Figures: samples/s (wall clock), GFLOP/s with
# 2*T*4H*(2F+3H) useful FLOPs per sample, % of the measured peak at the width (per core x 2 cores), and
# samples per CPU-second of each process, which other jobs on the shared cores disturb less.
. "$(dirname "$0")/../lib.sh"
# Debian's python3-torch lives under /usr/bin/python3, not a python3 earlier on PATH.
seconds="${SECONDS_PER_SHAPE:-4}"
rounds="${ROUNDS:-3}"
shapes="1024:24:16:64,1024:52:16:32"
threads=2

bench_apt python3-torch libopenblas0-pthread
bench_build

# Our switches and the peer's caps per width (.NET 10 reads DOTNET_EnableAVX512, earlier runtimes ...AVX512F).
ours_env() {
  case "$1" in
    512) echo "" ;;
    256) echo "DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0" ;;
    128) echo "DOTNET_EnableAVX2=0" ;;
  esac
}
peer_env() {
  case "$1" in
    512) echo "" ;;
    256) echo "ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell DNNL_MAX_CPU_ISA=AVX2 ONEDNN_MAX_CPU_ISA=AVX2" ;;
    128) echo "ATEN_CPU_CAPABILITY=default OPENBLAS_CORETYPE=Nehalem DNNL_MAX_CPU_ISA=SSE41 ONEDNN_MAX_CPU_ISA=SSE41" ;;
  esac
}

accelerated=$(bench_harness train --threads 1 --seconds 0.01 --shapes 8:2:2:4 | /usr/bin/python3 -c 'import json,sys; print(" ".join(str(w) for w in json.load(sys.stdin)["acceleratedWidths"] if w >= 128))')
echo "vector widths accelerated here: $accelerated"

# Ours and the peer alternate for a few rounds and each keeps its best round, so a burst of other work
# on the shared cores does not land on one side only.
echo "load before: $(uptime)"
for width in $accelerated; do
  for round in $(seq 1 "$rounds"); do
    # shellcheck disable=SC2046 # the switches are a word list of NAME=VALUE
    env $(ours_env "$width") dotnet "$BENCH_ROOT/Benchmarks/bin/Release/net10.0/Clv.Benchmarks.dll" \
      train --threads "$threads" --seconds "$seconds" --shapes "$shapes" > "$BENCH_WORK/train-ours-$width-$round.json"
    # PyTorch's OpenMP threads spin while they wait by default, which collapses its 2-thread speed when
    # other processes share the cores; passive waiting is the fair setting for the peer on a shared machine.
    # shellcheck disable=SC2046
    env OMP_WAIT_POLICY=PASSIVE $(peer_env "$width") /usr/bin/python3 "$BENCH_ROOT/train/peer_torch.py" \
      --threads "$threads" --seconds "$seconds" --shapes "$shapes" > "$BENCH_WORK/train-torch-$width-$round.json"
  done
done
echo "load after:  $(uptime)"

/usr/bin/python3 - "$BENCH_WORK" "$rounds" "$BENCH_RESULTS/train.json" "$(uptime)" "$accelerated" <<'PY'
import json, sys

work, rounds, target, load, widths = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].strip(), sys.argv[5].split()

def best(prefix):
    runs = [json.load(open(f"{work}/{prefix}-{i}.json")) for i in range(1, rounds + 1)]
    result = dict(runs[0])
    result["shapes"] = [max((run["shapes"][i] for run in runs), key=lambda s: s["samplesPerSecond"]) for i in range(len(runs[0]["shapes"]))]
    for key in ("peakGflopsPerCore", "peakGflops", "peakGflopsConcurrent"):
        if key in result:
            result[key] = max(run[key] for run in runs)
    return result

entries = []
for width in widths:
    ours = best(f"train-ours-{width}")
    peer = best(f"train-torch-{width}")
    if ours["vectorWidth"] != int(width):
        sys.exit(f"the {width}-bit run used {ours['vectorWidth']}-bit vectors; the runtime switch did not take")
    peak = ours["peakGflops"]
    print(f"{width}-bit ({ours['instructionSet']}): multiply-add peak {ours['peakGflopsPerCore']:.1f} GFLOP/s per core x {ours['threads']} = {peak:.1f} GFLOP/s "
          f"(both cores at once: {ours['peakGflopsConcurrent']:.1f}); PyTorch capped at {peer['cap']}")
    rows = []
    for mine, theirs in zip(ours["shapes"], peer["shapes"]):
        ratio = mine["samplesPerSecond"] / theirs["samplesPerSecond"]
        share = 100 * mine["gflops"] / peak
        # Work per CPU-second of the process against one core's peak: the kernel's efficiency while it runs,
        # which moves much less than wall-clock figures when other jobs share the two cores.
        cpu_share = 100 * mine["samplesPerCpuSecond"] * mine["flopsPerSample"] / 1e9 / ours["peakGflopsPerCore"]
        print(f"  B={mine['batch']} T={mine['steps']} F={mine['features']} H={mine['hidden']}: "
              f"ours {mine['samplesPerSecond']:.0f} samples/s ({mine['gflops']:.1f} GFLOP/s, {share:.1f}% of peak), "
              f"PyTorch {theirs['samplesPerSecond']:.0f} samples/s ({theirs['gflops']:.1f} GFLOP/s), ratio {ratio:.2f}x; "
              f"per CPU-second ours {mine['samplesPerCpuSecond']:.0f}, PyTorch {theirs['samplesPerCpuSecond']:.0f}, "
              f"ratio {mine['samplesPerCpuSecond'] / theirs['samplesPerCpuSecond']:.2f}x, "
              f"ours {cpu_share:.1f}% of one core's peak per CPU-second")
        rows.append({**mine, "peerSamplesPerSecond": theirs["samplesPerSecond"], "peerGflops": theirs["gflops"],
                     "peerSamplesPerCpuSecond": theirs["samplesPerCpuSecond"],
                     "ratio": round(ratio, 3), "cpuTimeRatio": round(mine["samplesPerCpuSecond"] / theirs["samplesPerCpuSecond"], 3),
                     "percentOfPeak": round(share, 1), "percentOfCorePeakPerCpuSecond": round(cpu_share, 1)})
    entries.append({"vectorWidth": ours["vectorWidth"], "instructionSet": ours["instructionSet"],
                    "peerCap": peer["cap"], "peerCpuCapability": peer.get("cpuCapability"),
                    "peakGflops": peak, "peakGflopsPerCore": ours["peakGflopsPerCore"],
                    "peakGflopsConcurrent": ours["peakGflopsConcurrent"], "shapes": rows})

first = entries[0]["shapes"][0]
result = {
    "name": "train",
    "figure": first["samplesPerSecond"],
    "unit": f"samples/s (B=1024, T=24, F=16, H=64, 2 threads, {entries[0]['vectorWidth']}-bit {entries[0]['instructionSet']})",
    "peer": f"PyTorch {json.load(open(f'{work}/train-torch-{widths[0]}-1.json'))['torch']} CPU, 2 threads",
    "peerFigure": first["peerSamplesPerSecond"],
    "ratio": first["ratio"],
    "vectorWidth": entries[0]["vectorWidth"],
    "flops": "2*T*4H*(2F+3H) per sample: forward plus dW, dR, dh",
    "peak": "best of fp32 multiply-add loops (12 independent chains) at the width, per core x 2 threads",
    "rounds": rounds,
    "load": load,
    "widths": entries,
}
json.dump(result, open(target, "w"), indent=2)
for entry in entries:
    s = entry["shapes"][0]
    print(f"{entry['vectorWidth']}-bit {entry['instructionSet']}: {s['ratio']:.2f}x PyTorch, {s['percentOfPeak']:.1f}% of peak at the first shape")
print(f"wrote {target}")
PY
