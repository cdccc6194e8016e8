using System.Diagnostics;
using System.Globalization;
using Clv.Modeling.Features;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Score;

/// <summary>
/// Scores one shard: reads the shard's own file(s) of <c>features/shards/</c>, builds, scores and upserts the
/// customers' predictions into <c>Predictions</c> one batch at a time, and writes the shard's prediction snapshot.
/// </summary>
public sealed class ShardScoreJob(ClvStorage storage, ISequenceSource sequences, ScorerCache scorers, ClvOptions options, ILogger<ShardScoreJob> logger, TimeProvider? time = null, IPredictionSink? sink = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Scores the shard named by the <c>score-shards</c> message <paramref name="messageText"/>. A malformed message can
    /// never succeed, so it is not retried: it moves to <c>score-shards-poison</c> at once and counts as handled. The
    /// Functions queue trigger and the local queue worker both come here, so both treat it alike.
    /// </summary>
    /// <returns>Predictions written; 0 for a malformed message.</returns>
    public async Task<long> RunAsync(string messageText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        ScoreShardMessage message;
        try
        {
            message = ScoreShardMessage.Parse(messageText);
        }
        catch (InvalidDataException ex)
        {
            await storage.ScoreShardsPoison.SendMessageAsync(messageText, cancellationToken).ConfigureAwait(false);
            ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "poisoned"));
            PipelineLog.ShardMessageMalformed(logger, storage.Names.ScoreShards, storage.Names.ScoreShardsPoison, ex.Message);
            return 0;
        }

        return await RunAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores the shard named by <paramref name="message"/>.</summary>
    /// <returns>Predictions written.</returns>
    public async Task<long> RunAsync(ScoreShardMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return await ScoreAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The shard's batches, row groups and rows lived across collections and were promoted; they are garbage now
            // (see LargeObjectGarbage).
            LargeObjectGarbage.Collect();
        }
    }

    private async Task<long> ScoreAsync(ScoreShardMessage message, CancellationToken cancellationToken)
    {
        var asOfText = message.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var runId = $"{message.ModelVersion}_{asOfText}_{message.ShardIndex.ToString("d3", CultureInfo.InvariantCulture)}";
        using var activity = ClvTelemetry.Source.StartActivity("clv.score.shard");
        activity?.SetTag("clv.run_id", runId);
        activity?.SetTag("clv.shard", message.ShardIndex);
        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();

        // A replayed or late shard of a model that is no longer the champion must not overwrite a newer model's predictions.
        var champion = await new ModelStore(storage).ReadCurrentAsync(cancellationToken).ConfigureAwait(false);
        if (champion is not null && !string.Equals(champion.Version, message.ModelVersion, StringComparison.Ordinal))
        {
            PipelineLog.ShardSuperseded(logger, message.ShardIndex, message.ModelVersion, champion.Version);
            ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "superseded"));
            return 0;
        }

        var scorer = await scorers.GetAsync(message.ModelVersion, cancellationToken).ConfigureAwait(false);
        // Only this shard's own files (features/shards/{partition}.parquet), or every partial before any compaction.
        var features = await FeatureShardStore.FeaturesAsync(storage, p => p % message.ShardCount == message.ShardIndex, cancellationToken).ConfigureAwait(false);
        var scoredAt = _time.GetUtcNow();
        // The shard's snapshot file gets each write batch as it is scored.
        var snapshot = await PredictionSnapshots.CreateAsync(storage, message.ModelVersion, message.AsOf, message.ShardIndex, cancellationToken).ConfigureAwait(false);
        await using var snapshotScope = snapshot.ConfigureAwait(false);
        var batchPredictions = new ClvPredictionBatchBuilder();
        long written = 0;
        var nonFinite = 0;
        string? firstNonFinite = null;
        Task<long>? writing = null;
        var writeBatch = options.Scoring.WriteBatchCustomers;

        // Sequences are built and scored a scorer batch (Clv:Scoring:BatchSize) at a time: a few KB per customer,
        // short-lived. Built a write batch at a time they were large arrays, megabytes per batch, that only a full
        // collection frees; a large shard allocated them faster than the runtime collected them.
        var chunk = Math.Min(options.Scorer.BatchSize, writeBatch);
        var rows = new List<PredictionEntity>(writeBatch + chunk);
        var clv = new float[chunk];
        var pPurchase = new float[chunk];
        var p10 = new float[chunk];
        var p50 = new float[chunk];
        var p90 = new float[chunk];
        await foreach (var set in sequences.FromPartialsInBatchesAsync(
            features,
            id => ShardKey.InShard(id, message.ShardIndex, message.ShardCount),
            chunk,
            message.AsOf,
            scorer.Metadata,
            cancellationToken).ConfigureAwait(false))
        {
            if (set.Count > clv.Length)
            {
                // A source that does not batch (it returns every customer at once).
                (clv, pPurchase, p10, p50, p90) = (new float[set.Count], new float[set.Count], new float[set.Count], new float[set.Count], new float[set.Count]);
            }

            scorer.Score(set, clv, pPurchase, p10, p50, p90);
            for (var i = 0; i < set.Count; i++)
            {
                var prediction = new ClvPrediction(clv[i], pPurchase[i], p10[i], p50[i], p90[i]);
                if (!prediction.IsFinite)
                {
                    // Never written (a table row, the snapshot, a metric): counted, named on the Runs row and logged.
                    firstNonFinite ??= set.CustomerIds[i];
                    nonFinite++;
                    continue;
                }

                rows.Add(PredictionEntity.Create(set.CustomerIds[i], prediction, message.ModelVersion, message.AsOf, scoredAt));
                batchPredictions.Add(set.CustomerIds[i], prediction);
            }

            if (rows.Count >= writeBatch)
            {
                // Batches of Clv:Scoring:WriteBatchCustomers: the next is scored while this one is upserted.
                written += await WriteAsync(rows).ConfigureAwait(false);
                rows = new List<PredictionEntity>(writeBatch + chunk);

                // A write batch is scoring's unit of memory: what the batches before it read, built and wrote lived
                // across young collections and is garbage now. Collected per batch, not only per message, a shard's
                // peak does not grow with its number of batches (a few tens of milliseconds against seconds of scoring).
                LargeObjectGarbage.Collect();
            }
        }

        if (rows.Count > 0)
        {
            written += await WriteAsync(rows).ConfigureAwait(false);
        }

        if (writing is not null)
        {
            written += await writing.ConfigureAwait(false);
        }

        await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        RecordShard(written, message.ModelVersion, seconds);
        ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "succeeded"));
        if (seconds > 0)
        {
            ClvTelemetry.ScoreThroughput.Record(written / seconds);
        }

        await storage.Runs.UpsertEntityAsync(
            new RunEntity
            {
                PartitionKey = RunEntity.ShardKind,
                RowKey = TableKey.Escape(runId),
                Status = "Succeeded",
                ModelVersion = message.ModelVersion,
                AsOf = asOfText,
                Customers = written,
                ShardIndex = message.ShardIndex,
                ShardCount = message.ShardCount,
                Error = nonFinite == 0 ? null : $"{nonFinite} customer(s) not scored: the model gave a value that is not a finite number (first: {firstNonFinite}); their earlier predictions, if any, stand.",
                StartedAt = startedAt,
                FinishedAt = _time.GetUtcNow(),
                DurationMs = clock.Elapsed.TotalMilliseconds,
            },
            Azure.Data.Tables.TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
        activity?.SetTag("clv.predictions", written);
        if (nonFinite > 0)
        {
            PipelineLog.ShardNonFinite(logger, runId, message.ModelVersion, nonFinite, firstNonFinite!);
        }

        PipelineLog.ShardScored(logger, runId, message.ShardIndex, message.ShardCount, written, clock.Elapsed.TotalMilliseconds);
        return written;

        // Starts upserting a batch once the batch before it is written; returns the rows of the batch before.
        async Task<long> WriteAsync(List<PredictionEntity> batch)
        {
            RecordBatch(batch, message.ModelVersion);
            await snapshot.AddAsync(batchPredictions.ToBatch(), cancellationToken).ConfigureAwait(false);
            batchPredictions = new ClvPredictionBatchBuilder();
            var before = writing is null ? 0 : await writing.ConfigureAwait(false);
            writing = sink is null
                ? PredictionWriter.UpsertAsync(storage.Predictions, batch, cancellationToken: cancellationToken)
                : sink.UpsertAsync(batch, cancellationToken);
            return before;
        }
    }

    /// <summary>
    /// Records the written predictions: <c>clv.score.predictions</c>, <c>clv.score.shard.duration</c>, one
    /// <c>clv.prediction.clv</c> value per customer and the customers per <c>clv.prediction.band</c>, all tagged with the model version.
    /// </summary>
    internal static void RecordPredictions(IReadOnlyList<PredictionEntity> written, string modelVersion, double seconds)
    {
        ArgumentNullException.ThrowIfNull(written);
        RecordBatch(written, modelVersion);
        RecordShard(written.Count, modelVersion, seconds);
    }

    /// <summary>One <c>clv.prediction.clv</c> value per customer and the customers per <c>clv.prediction.band</c>.</summary>
    private static void RecordBatch(IReadOnlyList<PredictionEntity> written, string modelVersion)
    {
        var version = new KeyValuePair<string, object?>(ClvTelemetry.ModelVersionTag, modelVersion);
        Span<long> perBand = stackalloc long[ClvBands.Labels.Count];
        foreach (var prediction in written)
        {
            ClvTelemetry.PredictionClv.Record(prediction.Clv, version);
            perBand[ClvBands.IndexOf(prediction.Clv)]++;
        }

        for (var band = 0; band < perBand.Length; band++)
        {
            if (perBand[band] > 0)
            {
                ClvTelemetry.PredictionBand.Add(perBand[band], new KeyValuePair<string, object?>(ClvTelemetry.BandTag, ClvBands.Labels[band]), version);
            }
        }
    }

    /// <summary><c>clv.score.predictions</c> and <c>clv.score.shard.duration</c> of a finished shard.</summary>
    private static void RecordShard(long written, string modelVersion, double seconds)
    {
        var version = new KeyValuePair<string, object?>(ClvTelemetry.ModelVersionTag, modelVersion);
        ClvTelemetry.ScorePredictions.Add(written, version);
        ClvTelemetry.ScoreShardDuration.Record(seconds, version);
    }
}
