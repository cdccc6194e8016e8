using System.Diagnostics;
using System.Globalization;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Score;

/// <summary>Starts batch scoring: one <c>score-shards</c> message per shard, and a <c>Runs</c> row.</summary>
public sealed class ScoreFanOutJob(ClvStorage storage, ClvOptions options, ILogger<ScoreFanOutJob> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Sends the shard messages for <paramref name="modelVersion"/> and <paramref name="asOf"/>.</summary>
    /// <returns>The messages sent.</returns>
    public async Task<IReadOnlyList<ScoreShardMessage>> RunAsync(string modelVersion, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelVersion);
        var shardCount = options.Scoring.ShardCount;
        var asOfText = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var runId = $"{modelVersion}_{asOfText}";
        using var activity = ClvTelemetry.Source.StartActivity("clv.score.fanout");
        activity?.SetTag("clv.run_id", runId);
        activity?.SetTag("clv.model_version", modelVersion);
        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var messages = Enumerable.Range(0, shardCount).Select(shardIndex => new ScoreShardMessage(modelVersion, asOf, shardIndex, shardCount)).ToList();
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (message, ct) => await storage.ScoreShards.SendMessageAsync(message.ToJson(), ct).ConfigureAwait(false)).ConfigureAwait(false);
        await storage.Runs.UpsertEntityAsync(
            new RunEntity
            {
                PartitionKey = RunEntity.ScoreKind,
                RowKey = TableKey.Escape(runId),
                Status = "FannedOut",
                ModelVersion = modelVersion,
                AsOf = asOfText,
                ShardCount = shardCount,
                StartedAt = startedAt,
                FinishedAt = _time.GetUtcNow(),
                DurationMs = clock.Elapsed.TotalMilliseconds,
            },
            Azure.Data.Tables.TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
        PipelineLog.ScoreFannedOut(logger, runId, shardCount, modelVersion, asOfText);
        return messages;
    }
}
