#!/usr/bin/env bash
# Ten million customers on bounded memory: generated shops through featurize, compaction, training and scoring
# (with the Predictions upserts) against a private Azurite, one process per stage, each stage's peak working set
# (VmHWM at exit) and wall time. The raw batch-upsert ceiling of the same Azurite is measured in the same run.
#
#   bench/run.sh scale                                     sizes 1000000 3000000 10000000
#   CLV_SCALE_SIZES="1000000" bench/run.sh scale           one size
#
# Settings (environment): CLV_SCALE_ROWS_PER_EXPORT (rows per generated export, default 2500000, about 150 MB of
# CSV), CLV_SCALE_FEATURIZE_PARALLEL (default 2, host.json blobs maxDegreeOfParallelism),
# CLV_SCALE_QUEUE_PARALLEL (default 2, host.json queues batchSize), CLV_SCALE_SAMPLE (training sample, default
# 50000, Clv:Training:SampleCustomers), CLV_SCALE_EPOCHS (default 20), CLV_SCALE_CEILING_ROWS (rows of the
# ceiling measurement, default the smallest size; 0 leaves the ceiling out), CLV_SCALE_TABLE_WRITES_MAX (largest
# size whose scoring is run a second time with the upserts into the Predictions table, stage "scoreWrites", default
# 1000000; stage "score" at every size runs the same job into a counting sink, so that its peaks compare like for like
# across sizes: the emulator takes about 1,300 rows/s, 2 hours per 10 million customers, and docs/scale.md works out
# the real table's limits), CLV_SCALE_STAGES (default
# "featurize compact train score"), CLV_SCALE_INSTANCE_MB (default 0: the machine's memory; 2048 or 4096 run each
# stage as on a Flex Consumption instance of that size, whose .NET GC heap limit is 75% of the instance memory),
# CLV_SCALE_RESULT (default bench/results/scale.json).
. "$(dirname "$0")/../lib.sh"
. "$BENCH_ROOT/pipeline/azurite.sh"

sizes="${CLV_SCALE_SIZES:-1000000 3000000 10000000}"
rows_per_export="${CLV_SCALE_ROWS_PER_EXPORT:-2500000}"
featurize_parallel="${CLV_SCALE_FEATURIZE_PARALLEL:-2}"
queue_parallel="${CLV_SCALE_QUEUE_PARALLEL:-2}"
sample="${CLV_SCALE_SAMPLE:-50000}"
epochs="${CLV_SCALE_EPOCHS:-20}"
ceiling_rows="${CLV_SCALE_CEILING_ROWS:-$(echo "$sizes" | tr ' ' '\n' | sort -n | head -1)}"
stages="${CLV_SCALE_STAGES:-featurize compact train score}"
table_writes_max="${CLV_SCALE_TABLE_WRITES_MAX:-1000000}"
instance_mb="${CLV_SCALE_INSTANCE_MB:-0}"
result="${CLV_SCALE_RESULT:-$BENCH_RESULTS/scale.json}"
if [[ "$instance_mb" -gt 0 ]]; then
  export DOTNET_GCHeapHardLimit
  DOTNET_GCHeapHardLimit=$(printf '0x%x' $((instance_mb * 1024 * 1024 * 3 / 4)))
fi

dotnet build "$BENCH_ROOT/scale/ScaleBench/ScaleBench.csproj" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
bench() { dotnet "$BENCH_ROOT/scale/ScaleBench/bin/Release/net10.0/Clv.ScaleBench.dll" "$@" | tail -1; }

# Tables and queues in memory: a disk-persisted Azurite rewrites its whole table database file as it grows, which
# would make millions of upserts quadratic. Blobs on disk: ten million customers' exports, partials and shard files
# (rewritten by every compaction) would otherwise sit in the emulator's memory. The service under test is the
# pipeline, not Azurite's persistence.
scale_azurite_start() {
  bench_azurite_start --inMemoryPersistence # installs Azurite and sets CLV_BENCH_STORAGE; its blob service is replaced below
  local blob_port blob_dir
  blob_port=$(echo "$CLV_BENCH_STORAGE" | sed -E 's/.*BlobEndpoint=http:\/\/127.0.0.1:([0-9]+).*/\1/')
  blob_dir="$BENCH_WORK/scale/azurite-blob"
  rm -rf "$blob_dir" && mkdir -p "$blob_dir"
  # The combined emulator gives up its blob port: stop it and start the three services on the same ports.
  kill "$BENCH_AZURITE_PID" && wait "$BENCH_AZURITE_PID" 2>/dev/null || true
  local queue_port table_port bin="$REPO_ROOT/.tools/azurite/node_modules/.bin"
  queue_port=$(echo "$CLV_BENCH_STORAGE" | sed -E 's/.*QueueEndpoint=http:\/\/127.0.0.1:([0-9]+).*/\1/')
  table_port=$(echo "$CLV_BENCH_STORAGE" | sed -E 's/.*TableEndpoint=http:\/\/127.0.0.1:([0-9]+).*/\1/')
  local common=(--silent --loose --skipApiVersionCheck --disableProductStyleUrl)
  "$bin/azurite-blob" "${common[@]}" --location "$blob_dir" --blobHost 127.0.0.1 --blobPort "$blob_port" >"$blob_dir.log" 2>&1 &
  local blob_pid=$!
  "$bin/azurite-queue" "${common[@]}" --inMemoryPersistence --queueHost 127.0.0.1 --queuePort "$queue_port" >/dev/null 2>&1 &
  local queue_pid=$!
  NODE_OPTIONS="--max-old-space-size=12288" "$bin/azurite-table" "${common[@]}" --inMemoryPersistence --tableHost 127.0.0.1 --tablePort "$table_port" >/dev/null 2>&1 &
  local table_pid=$!
  trap "kill $blob_pid $queue_pid $table_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf '$blob_dir' '$blob_dir.log' '$BENCH_AZURITE_DIR'" EXIT
  for p in "$blob_port" "$queue_port" "$table_port"; do
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.1; done
  done
}
scale_azurite_start
log="$BENCH_WORK/scale.jsonl"
: >"$log"
if [[ "$ceiling_rows" -gt 0 ]]; then
  line=$(bench ceiling ceil "$ceiling_rows")
  echo "{\"size\": 0, \"line\": $line}" | tee -a "$log"
fi
for size in $sizes; do
  prefix="s$size"
  # The generator is seeded: a shop generated once for a size and export length is kept and reused.
  data="$BENCH_WORK/scale/exports-$size-$rows_per_export"
  if [[ ! -f "$data/complete" ]]; then
    rm -rf "$data"
    bench generate "$size" "$data" "$rows_per_export" >"$data.json"
    mv "$data.json" "$data/complete"
  fi
  bench upload "$prefix" "$data" >/dev/null
  for stage in $stages; do
    case "$stage" in
      featurize) set -- featurize "$featurize_parallel" ;;
      compact) set -- compact "$queue_parallel" ;;
      train) set -- train "$sample" "$epochs" ;;
      score) set -- score "$queue_parallel" none ;;
    esac
    line=$(bench "$1" "$prefix" "${@:2}")
    echo "{\"size\": $size, \"line\": $line}" | tee -a "$log"
  done
  if [[ " $stages " == *" score "* && "$size" -le "$table_writes_max" ]]; then
    line=$(bench score "$prefix" "$queue_parallel" table | sed 's/"stage":"score"/"stage":"scoreWrites"/')
    echo "{\"size\": $size, \"line\": $line}" | tee -a "$log"
  fi
  bench drop "$prefix" >/dev/null
done

python3 - "$log" "$result" "$sample" "$epochs" "$rows_per_export" "$featurize_parallel" "$queue_parallel" "$instance_mb" <<'PY'
import json, sys, datetime, os, platform
log, out, sample, epochs, rows_per_export, featurize_parallel, queue_parallel, instance_mb = sys.argv[1:9]
lines = [json.loads(l) for l in open(log) if l.strip()]
ceiling = next((l["line"] for l in lines if l["size"] == 0), None)
stages = {}
for l in lines:
    if l["size"] == 0:
        continue
    entry = l["line"]
    stages.setdefault(str(l["size"]), {})[entry["stage"]] = {"peakMiB": entry["peakMiB"], "seconds": entry["seconds"], "detail": entry["detail"]}
sizes = sorted(int(s) for s in stages)
largest = str(max(sizes))
figure = max(v["peakMiB"] for v in stages[largest].values())
ceiling_rate = ceiling["detail"]["rowsPerSecond"] if ceiling else None
ratio = None
score_rate = None
smallest = str(min(sizes))
if ceiling and "scoreWrites" in stages[smallest]:
    s = stages[smallest]["scoreWrites"]
    score_rate = s["detail"]["predictions"] / s["seconds"]
    ratio = round(score_rate / ceiling_rate, 3)
growth = {}
if len(sizes) > 1:
    for stage, v in stages[largest].items():
        base = stages[smallest].get(stage)
        if base:
            growth[stage] = round(v["peakMiB"] / base["peakMiB"], 3)
result = {
    "name": "scale",
    "figure": figure,
    "unit": f"MiB, largest stage peak working set at {int(largest):,} customers",
    "peer": "raw batch-upsert ceiling of the same Azurite (PredictionWriter, 100-entity transactions, 8 in flight, no scoring)",
    "peerFigure": ceiling_rate,
    "ratio": ratio,
    "ratioMeaning": f"scoring plus Predictions upserts at {int(smallest):,} customers, predictions/s, over the ceiling",
    "scorePredictionsPerSecond": None if score_rate is None else round(score_rate, 1),
    "ceiling": ceiling["detail"] if ceiling else None,
    "sizes": sizes,
    "stages": stages,
    "peakGrowthLargestOverSmallest": growth,
    "settings": {"trainingSample": int(sample), "epochs": int(epochs), "rowsPerExport": int(rows_per_export),
                 "featurizeParallel": int(featurize_parallel), "queueParallel": int(queue_parallel),
                 "shards": 256, "bucket": "week", "sequenceLength": 52, "horizon": 26,
                 "instanceMB": int(instance_mb) or None,
                 "gcHeapHardLimitMiB": int(instance_mb) * 3 // 4 or None},
    "machine": {"cores": os.cpu_count(), "os": platform.platform(), "load": os.getloadavg()},
    "measuredAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
}
json.dump(result, open(out, "w"), indent=2)
print(json.dumps({k: result[k] for k in ("figure", "peerFigure", "ratio", "peakGrowthLargestOverSmallest")}))
PY
