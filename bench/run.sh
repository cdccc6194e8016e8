#!/usr/bin/env bash
# Runs one benchmark, or all of them, against its named peer measured in the same run.
#
#   bench/run.sh NAME     one benchmark (bench/NAME/run.sh)
#   bench/run.sh all      every benchmark
#   bench/run.sh list     the names
#
# Each benchmark prints its figures and the ratio to its peer, and writes bench/results/NAME.json
# with at least: name, figure, unit, peer, peerFigure, ratio (higher is better for the project).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

names() { find "$here" -mindepth 2 -maxdepth 2 -name run.sh -printf '%h\n' | xargs -rn1 basename | sort; }

target="${1:-list}"
case "$target" in
  list) names ;;
  all)
    status=0
    for name in $(names); do
      echo "=== $name"
      bash "$here/$name/run.sh" || status=1
    done
    exit $status
    ;;
  *)
    if [[ ! -f "$here/$target/run.sh" ]]; then
      echo "unknown benchmark '$target'; known: $(names | tr '\n' ' ')" >&2
      exit 2
    fi
    exec bash "$here/$target/run.sh"
    ;;
esac
