using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Score;

/// <summary>
/// Drains <c>score-shards</c> outside the Functions runtime (local host, tools): receive, score, delete; a
/// message that failed <see cref="MaxDequeueCount"/> times moves to <c>score-shards-poison</c>, as the Functions
/// queue trigger does, and a malformed one moves there at once (<see cref="ShardScoreJob.RunAsync(string, CancellationToken)"/>).
/// </summary>
public sealed class ScoreQueueWorker(ClvStorage storage, ShardScoreJob job, ILogger<ScoreQueueWorker> logger)
{
    /// <summary>Attempts before a message is poisoned (matches <c>host.json</c> <c>maxDequeueCount</c>).</summary>
    public const int MaxDequeueCount = QueueDrainer.MaxDequeueCount;

    /// <summary>How long a received message stays invisible while it is scored.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromMinutes(5);

    private readonly QueueDrainer _drainer = new(
        storage.ScoreShards,
        storage.ScoreShardsPoison,
        VisibilityTimeout,
        async (text, ct) =>
        {
            // A malformed message is moved to the poison queue by the job itself (as in Azure) and then deleted.
            await job.RunAsync(text, ct).ConfigureAwait(false);
            return true;
        },
        (ex, dequeueCount) =>
        {
            ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "failed"));
            PipelineLog.ShardAttemptFailed(logger, ex, dequeueCount);
        },
        message =>
        {
            ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "poisoned"));
            PipelineLog.ShardPoisoned(logger, storage.Names.ScoreShards, storage.Names.ScoreShardsPoison, message.DequeueCount, message.MessageText);
        });

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and handles them concurrently.</summary>
    /// <returns>Messages received (handled, poisoned or failed).</returns>
    public Task<int> ProcessBatchAsync(int maxMessages = 4, CancellationToken cancellationToken = default) => _drainer.ProcessBatchAsync(maxMessages, cancellationToken);

    /// <summary>Processes messages until the queue is empty.</summary>
    /// <returns>Messages received.</returns>
    public Task<int> DrainAsync(int maxMessages = 4, CancellationToken cancellationToken = default) => _drainer.DrainAsync(maxMessages, cancellationToken);
}
