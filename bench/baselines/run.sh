#!/usr/bin/env bash
# BG/NBD + Gamma-Gamma maximum-likelihood fits on the CDNOW master calibration period (23,570 customers,
# to 1997-09-30, weeks) against a numpy/scipy peer fitting the same summaries the way `lifetimes` does.
# Figure: seconds for both fits (median of REPEATS); ratio = peer seconds / our seconds (higher is better).
# Also records the baselines' holdout metrics (1997-10-01 .. 1998-06-30, every customer) as holdoutMetrics.
. "$(dirname "$0")/../lib.sh"

master="$REPO_ROOT/../shared/data/cdnow/CDNOW_master.txt"
if [[ ! -f "$master" ]]; then
  echo "skipped: $master not found (the CDNOW reference data sits in ../shared/data next to the repository)"
  exit 0
fi

repeats="${REPEATS:-3}"
# Debian's interpreter, where bench_apt installs the peer's packages (another python3 may come first on PATH).
python=/usr/bin/python3
bench_apt python3-numpy python3-scipy
bench_build

summary="$BENCH_WORK/cdnow_master_summary.csv"
holdout="$BENCH_WORK/cdnow_master_holdout.json"
ours="$(bench_harness baselines "$master" "$summary" "$holdout" "$repeats")"
peer="$("$python" "$BENCH_ROOT/baselines/peer.py" "$summary" "$repeats")"

"$python" - "$ours" "$peer" "$BENCH_RESULTS/baselines.json" "$holdout" <<'PY'
import json, sys
ours, peer, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
holdout = json.load(open(sys.argv[4]))
figure = ours["bgnbdSeconds"] + ours["gammaGammaSeconds"]
peer_figure = peer["bgnbdSeconds"] + peer["gammaGammaSeconds"]
result = {
    "name": "baselines",
    "figure": round(figure, 4),
    "unit": "s (BG/NBD + Gamma-Gamma fit, 23,570 customers)",
    "peer": "numpy + scipy Nelder-Mead, lifetimes-style vectorised log-likelihood",
    "peerFigure": round(peer_figure, 4),
    "ratio": round(peer_figure / figure, 2),
    "ours": ours,
    "peerResult": peer,
    "holdoutMetrics": holdout,
    "maxRelativeParameterDifference": max(abs(ours[k] - peer[k]) / abs(peer[k]) for k in ("r", "alpha", "a", "b", "p", "q", "gamma")),
}
json.dump(result, open(out, "w"), indent=2)
print(f"ours {figure:.3f} s, peer {peer_figure:.3f} s, ratio {result['ratio']}x; "
      f"parameters agree to {result['maxRelativeParameterDifference']:.2e} relative; "
      f"LL ours {ours['bgnbdLogLikelihood']:.2f} peer {peer['bgnbdLogLikelihood']:.2f}")
for model, metrics in holdout.items():
    print(f"holdout {model}: " + ", ".join(f"{k} {v:.4f}" for k, v in metrics.items() if v is not None))
PY
