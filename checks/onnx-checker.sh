#!/usr/bin/env bash
# Exports a CLV model (benchmark shape, random weights) and validates it with the reference ONNX
# checker (Debian python3-onnx: onnx.checker.check_model with full_check, which also runs strict
# shape inference). Prints one line: "PASS onnx-checker: ..." or "FAIL onnx-checker: ...".
#
#   checks/onnx-checker.sh [MODEL.onnx]   check MODEL.onnx instead of exporting one
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh

bench_apt python3-onnx

model="${1:-}"
if [[ -z "$model" ]]; then
  model="$BENCH_WORK/onnx-checker/model.onnx"
  mkdir -p "$(dirname "$model")"
  bench_build
  bench_harness score export-model "$model" >/dev/null
fi

# The Debian interpreter, which sees the Debian package (a python3 earlier on PATH may not).
/usr/bin/python3 - "$model" <<'PY'
import sys
import onnx

path = sys.argv[1]
try:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
except Exception as error:  # the checker raises ValidationError, loading raises DecodeError or OSError
    print(f"FAIL onnx-checker: {path}: {type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else error!r}")
    sys.exit(1)

opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
ops = sorted({node.op_type for node in model.graph.node})
keys = [p.key for p in model.metadata_props]
print(f"PASS onnx-checker: {path} (onnx {onnx.__version__}, IR {model.ir_version}, opset {opset}, "
      f"{len(model.graph.node)} nodes: {', '.join(ops)}; metadata: {', '.join(keys)})")
PY
