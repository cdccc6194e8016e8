#!/usr/bin/env bash
# Predictions written per second into Azurite by the scoring path (entity-group upserts of 100 rows of one
# partition, partitions in parallel), against the peer: a plain Azure.Data.Tables upsert loop of the same
# entities one by one, in the same run, on the same Azurite.
#
#   bench/run.sh pipeline            defaults: 20000 customers, 3 rounds
#   CLV_BENCH_CUSTOMERS=50000 bench/run.sh pipeline
. "$(dirname "$0")/../lib.sh"
. "$BENCH_ROOT/pipeline/azurite.sh"
bench_azurite_start
dotnet build "$BENCH_ROOT/pipeline/PipelineBench/PipelineBench.csproj" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
dotnet "$BENCH_ROOT/pipeline/PipelineBench/bin/Release/net10.0/Clv.PipelineBench.dll" \
  "${CLV_BENCH_CUSTOMERS:-20000}" "${CLV_BENCH_ROUNDS:-3}" "$BENCH_RESULTS/pipeline.json"
