#!/usr/bin/env bash
# Scoring throughput and latency of ClvScorer (ONNX Runtime on the exported CLV model):
#   - customers/s for batch scoring of featurized histories (SequenceSet) at batch 1, 64 and 1024;
#   - single-customer latency p50/p99 in-process.
# Peer, in the same run: ONNX Runtime executing the bare LSTM graph of the same shape
# (T=52, F=8, H=64) on pre-built, normalised, time-major tensors: the ceiling for any scorer built
# on ONNX Runtime. Targets: batch scoring >= 0.8 of the peer; single-customer p99 < 1 ms.
# Writes bench/results/score.json. Both sides use one intra-op thread (SCORE_THREADS to change).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$REPO_ROOT"

bench_build
bench_harness machine
bench_harness score run --out "$BENCH_RESULTS/score.json" --threads "${SCORE_THREADS:-1}" --seconds "${SCORE_SECONDS:-4}"
