using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Compact;

/// <summary>
/// Drains <c>compact-shards</c> outside the Functions runtime (local host, tools, benchmarks): receive, compact,
/// delete; a message that failed <see cref="MaxDequeueCount"/> times moves to <c>compact-shards-poison</c>, as the
/// Functions queue trigger does.
/// </summary>
public sealed class CompactionQueueWorker(ClvStorage storage, CompactionJob job, ILogger<CompactionQueueWorker> logger)
{
    /// <summary>Attempts before a message is poisoned (matches <c>host.json</c> <c>maxDequeueCount</c>).</summary>
    public const int MaxDequeueCount = QueueDrainer.MaxDequeueCount;

    /// <summary>How long a received message stays invisible while it is compacted.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromMinutes(10);

    private readonly QueueDrainer _drainer = new(
        storage.CompactShards,
        storage.CompactShardsPoison,
        VisibilityTimeout,
        async (text, ct) =>
        {
            CompactionMessage compaction;
            try
            {
                compaction = CompactionMessage.Parse(text);
            }
            catch (InvalidDataException)
            {
                return false;
            }

            await job.RunAsync(compaction, ct).ConfigureAwait(false);
            return true;
        },
        (ex, dequeueCount) => PipelineLog.CompactionAttemptFailed(logger, ex, dequeueCount),
        message => PipelineLog.CompactionPoisoned(logger, storage.Names.CompactShards, storage.Names.CompactShardsPoison, message.DequeueCount, message.MessageText));

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and handles them concurrently.</summary>
    /// <returns>Messages received.</returns>
    public Task<int> ProcessBatchAsync(int maxMessages = 1, CancellationToken cancellationToken = default) => _drainer.ProcessBatchAsync(maxMessages, cancellationToken);

    /// <summary>Processes messages until the queue is empty.</summary>
    /// <returns>Messages received.</returns>
    public Task<int> DrainAsync(int maxMessages = 1, CancellationToken cancellationToken = default) => _drainer.DrainAsync(maxMessages, cancellationToken);
}
