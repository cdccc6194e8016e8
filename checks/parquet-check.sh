#!/usr/bin/env bash
# Featurizes a small synthetic export with the clv tool (day buckets) and reads the partials back
# with checks/parquet-reader.py, a Parquet reader in the Python standard library written from the
# format specification, so the files are checked without Parquet.Net. It asserts flat REQUIRED
# columns customer_id (STRING), bucket_start (DATE), net_spend (DOUBLE), orders (INT32), items
# (DOUBLE) and returns (INT32) in that order; only codecs, encodings and page types that pandas
# (pyarrow), DuckDB and Spark read; clv.bucket in the key-value metadata, with every bucket_start
# the first day of a bucket; rows sorted by (customer_id, bucket_start) without repeats; and the
# customer count and total spend that featurize reported. The reader itself checks sizes, counts,
# CRCs and statistics against the data. Prints one line: "PASS parquet-check: ..." or
# "FAIL parquet-check: ...".
#
#   checks/parquet-check.sh [FILE.parquet ...]   check these partials instead (any bucket size;
#                                                the featurize totals are not checked)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh

# The Debian interpreter where there is one (the reader needs nothing beyond the standard library).
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3

work="$BENCH_WORK/parquet-check"
mkdir -p "$work"

fail() {
  echo "FAIL parquet-check: $1"
  [[ -n "${2:-}" ]] && printf '%s\n' "$2" | tail -n 20 >&2
  exit 1
}

files=()
report=""
if [[ $# -gt 0 ]]; then
  files=("$@")
else
  clv="src/Cli/bin/Release/net10.0/clv.dll"
  log="$(dotnet build src/Cli -c Release -nologo -clp:ErrorsOnly -v:q 2>&1)" || fail "dotnet build src/Cli failed" "$log"
  # 500 customers at a fixed seed: about 8,300 order lines, 4,200 partial rows, a few dirty lines.
  log="$(dotnet "$clv" generate --output "$work/orders.csv" --customers 500 --seed 7 --json 2>&1)" \
    || fail "clv generate failed" "$log"
  rm -rf "$work/out"
  report="$work/featurize.json"
  dotnet "$clv" featurize --input "$work/orders.csv" --output "$work/out" --bucket day --json >"$report" 2>&1 \
    || fail "clv featurize failed (exit $?)" "$(cat "$report")"
  shopt -s nullglob
  files=("$work"/out/features/*.parquet)
  shopt -u nullglob
  [[ ${#files[@]} -gt 0 ]] || fail "clv featurize wrote no $work/out/features/*.parquet"
fi

"$python" - "$root/checks/parquet-reader.py" "$report" "${files[@]}" <<'PY'
import datetime
import importlib.util
import json
import math
import sys
import time

reader_path, report_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]


def fail(message):
    print(f"FAIL parquet-check: {message}")
    sys.exit(1)


spec = importlib.util.spec_from_file_location("parquet_reader", reader_path)
parquet = importlib.util.module_from_spec(spec)
spec.loader.exec_module(parquet)

# (name, physical type, accepted annotations as (logical type, converted type) pairs)
EXPECTED = [
    ("customer_id", "BYTE_ARRAY", {("STRING", "UTF8"), ("STRING", None), (None, "UTF8")}),
    ("bucket_start", "INT32", {("DATE", "DATE"), ("DATE", None), (None, "DATE")}),
    ("net_spend", "DOUBLE", {(None, None)}),
    ("orders", "INT32", {(None, None), ("INTEGER(32, signed)", "INT_32"), ("INTEGER(32, signed)", None), (None, "INT_32")}),
    ("items", "DOUBLE", {(None, None)}),
    ("returns", "INT32", {(None, None), ("INTEGER(32, signed)", "INT_32"), ("INTEGER(32, signed)", None), (None, "INT_32")}),
]
# What pyarrow, DuckDB and Spark all read.
CODECS = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"}
ENCODINGS = {"PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE", "BIT_PACKED",
             "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY"}
PAGE_TYPES = {"DICTIONARY_PAGE", "DATA_PAGE", "DATA_PAGE_V2"}
# First days of buckets, as the tool counts them (weeks start on Monday).
BUCKET_STARTS = {"day": lambda d: True, "week": lambda d: d.weekday() == 0, "month": lambda d: d.day == 1}

report = None
if report_path:
    with open(report_path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.startswith("{")]
    if len(lines) != 1:
        fail(f"{report_path}: expected one JSON line from clv featurize --json, found {len(lines)}")
    report = json.loads(lines[0])
    if report.get("failed"):
        fail(f"clv featurize reported failures: {report['failed']}")

customers = set()
spend = []
rows = seconds = 0
details = set()
buckets = set()
for path in paths:
    clock = time.perf_counter()
    try:
        meta, columns = parquet.read(path)
    except parquet.ParquetError as error:
        fail(f"{path}: {error}")
    seconds += time.perf_counter() - clock

    leaves = meta["schema"][1:]
    found = [(c["name"], c["type"], c["repetition"], c["logical_type"], c["converted_type"]) for c in leaves]
    if len(leaves) != len(EXPECTED):
        fail(f"{path}: columns {found}; expected {[e[0] for e in EXPECTED]}")
    for (name, physical, annotations), column, described in zip(EXPECTED, leaves, found):
        annotation = (column["logical_type"], column["converted_type"])
        if (column["name"], column["type"], column["repetition"]) != (name, physical, "REQUIRED") or annotation not in annotations:
            fail(f"{path}: column {described}; expected {name} {physical} REQUIRED "
                 f"annotated {' or '.join(sorted(str(a) for a in annotations))}")
    for g, group in enumerate(meta["row_groups"]):
        for chunk in group["columns"]:
            where = f"{path}: row group {g} column {chunk['path'][0]}"
            pages = chunk["pages"]
            if chunk["codec"] not in CODECS:
                fail(f"{where}: codec {chunk['codec']}")
            odd = (set(chunk["encodings"]) | {p["encoding"] for p in pages}) - ENCODINGS
            if odd:
                fail(f"{where}: encodings {sorted(odd)}")
            if {p["type"] for p in pages} - PAGE_TYPES:
                fail(f"{where}: page types {sorted({p['type'] for p in pages})}")
            details.add(f"{chunk['codec']} {'+'.join(sorted({p['encoding'] for p in pages}))} "
                        f"{'+'.join(sorted({p['type'] for p in pages}))}")

    # Featurized here with --bucket day; a file given on the command line may hold any bucket size.
    bucket = meta["key_value_metadata"].get("clv.bucket")
    if bucket not in (("day",) if report else BUCKET_STARTS):
        fail(f"{path}: key-value metadata clv.bucket is {bucket!r}; expected {'day' if report else 'day, week or month'}")
    buckets.add(bucket)
    count = meta["num_rows"]
    lengths = {name: len(values) for name, values in columns.items()}
    if set(lengths.values()) != {count}:
        fail(f"{path}: num_rows {count}, decoded {lengths}")

    ids, starts = columns["customer_id"], columns["bucket_start"]
    # Python orders str by code point, as .NET's ordinal comparison does outside surrogate pairs.
    for i in range(1, count):
        if (ids[i - 1], starts[i - 1]) >= (ids[i], starts[i]):
            fail(f"{path}: rows {i - 1} and {i} out of order or repeated: "
                 f"({ids[i - 1]}, {starts[i - 1]}) then ({ids[i]}, {starts[i]})")
    # Every start is a plain date (DATE decodes to datetime.date, never a time) that begins a bucket.
    if not all(type(start) is datetime.date and BUCKET_STARTS[bucket](start) for start in starts):
        bad = next(start for start in starts if type(start) is not datetime.date or not BUCKET_STARTS[bucket](start))
        fail(f"{path}: bucket_start {bad!r} is not the first day of a {bucket}")
    customers.update(ids)
    spend.extend(columns["net_spend"])
    rows += count

total = math.fsum(spend)
summary = (f"{len(paths)} file(s), {rows} rows, {len(customers)} customers, total spend {total:.2f}; "
           f"6 flat REQUIRED columns, {'; '.join(sorted(details))}, clv.bucket={'+'.join(sorted(buckets))}; "
           f"read in {seconds:.2f} s by checks/parquet-reader.py")
if report is not None:
    if len(customers) != report["customers"]:
        fail(f"{len(customers)} distinct customer_id values; featurize reported {report['customers']} customers")
    if abs(total - report["totalSpend"]) > 0.01:
        fail(f"sum(net_spend) is {total:.4f}; featurize reported totalSpend {report['totalSpend']}")
    summary += f"; matches featurize ({report['rows']} lines, {report['rejected']} rejected)"
else:
    summary += "; featurize totals not checked"
print(f"PASS parquet-check: {', '.join(paths)} ({summary})")
PY
