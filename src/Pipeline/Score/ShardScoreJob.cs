using System.Diagnostics;
using System.Globalization;
using Clv.Modeling.Features;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Score;

/// <summary>
/// Scores one shard: reads the histories of the shard's customers from the partials, scores them in batches
/// and upserts the predictions into <c>Predictions</c>.
/// </summary>
public sealed class ShardScoreJob(ClvStorage storage, ISequenceSource sequences, ScorerCache scorers, ClvOptions options, ILogger<ShardScoreJob> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Scores the shard named by <paramref name="message"/>.</summary>
    /// <returns>Predictions written.</returns>
    public async Task<long> RunAsync(ScoreShardMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var asOfText = message.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var runId = $"{message.ModelVersion}_{asOfText}_{message.Shard.ToString("d3", CultureInfo.InvariantCulture)}";
        using var activity = ClvTelemetry.Source.StartActivity("clv.score.shard");
        activity?.SetTag("clv.run_id", runId);
        activity?.SetTag("clv.shard", message.Shard);
        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();

        var scorer = await scorers.GetAsync(message.ModelVersion, cancellationToken).ConfigureAwait(false);
        var partials = await PartialStore.ListAsync(storage, cancellationToken).ConfigureAwait(false);
        var set = await sequences.FromPartialsAsync(
            partials,
            id => ShardKey.InShard(id, message.Shard, message.ShardCount),
            message.AsOf,
            scorer.Metadata,
            cancellationToken).ConfigureAwait(false);

        var scoredAt = _time.GetUtcNow();
        var rows = new List<PredictionEntity>(set.Count);
        var batchSize = options.Scoring.BatchSize;
        var clv = new float[Math.Min(batchSize, Math.Max(set.Count, 1))];
        var pPurchase = new float[clv.Length];
        for (var start = 0; start < set.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, set.Count - start);
            var batch = start == 0 && count == set.Count ? set : Slice(set, start, count);
            scorer.Score(batch, clv.AsSpan(0, count), pPurchase.AsSpan(0, count));
            for (var i = 0; i < count; i++)
            {
                rows.Add(PredictionEntity.Create(set.CustomerIds[start + i], clv[i], pPurchase[i], message.ModelVersion, message.AsOf, scoredAt));
            }
        }

        var written = await PredictionWriter.UpsertAsync(storage.Predictions, rows, cancellationToken: cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        RecordPredictions(rows, message.ModelVersion, seconds);
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
                Shards = message.Shard,
                StartedAt = startedAt,
                FinishedAt = _time.GetUtcNow(),
                DurationMs = clock.Elapsed.TotalMilliseconds,
            },
            Azure.Data.Tables.TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
        activity?.SetTag("clv.predictions", written);
        PipelineLog.ShardScored(logger, runId, message.Shard, message.ShardCount, written, clock.Elapsed.TotalMilliseconds);
        return written;
    }

    /// <summary>
    /// Records the written predictions: <c>clv.score.predictions</c>, <c>clv.score.shard.duration</c>, one
    /// <c>clv.prediction.clv</c> value per customer and the customers per <c>clv.prediction.band</c>, all tagged with the model version.
    /// </summary>
    internal static void RecordPredictions(IReadOnlyList<PredictionEntity> written, string modelVersion, double seconds)
    {
        var version = new KeyValuePair<string, object?>(ClvTelemetry.ModelVersionTag, modelVersion);
        ClvTelemetry.ScorePredictions.Add(written.Count, version);
        ClvTelemetry.ScoreShardDuration.Record(seconds, version);
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

    /// <summary>Customers <c>start..start+count-1</c> of <paramref name="set"/> as their own set (copied).</summary>
    internal static SequenceSet Slice(SequenceSet set, int start, int count)
    {
        var stride = set.SequenceLength * set.FeatureCount;
        var features = set.Features.AsSpan(start * stride, count * stride).ToArray();
        var lengths = set.Lengths.AsSpan(start, count).ToArray();
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = set.CustomerIds[start + i];
        }

        return new SequenceSet(ids, features, lengths, set.SequenceLength, set.FeatureNames);
    }
}
