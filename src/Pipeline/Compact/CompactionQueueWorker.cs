using Azure.Storage.Queues.Models;
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
    public const int MaxDequeueCount = 5;

    /// <summary>How long a received message stays invisible while it is compacted.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and handles them concurrently.</summary>
    /// <returns>Messages received.</returns>
    public async Task<int> ProcessBatchAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        QueueMessage[] messages = await storage.CompactShards.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    /// <summary>Processes messages until the queue is empty.</summary>
    /// <returns>Messages received.</returns>
    public async Task<int> DrainAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        var total = 0;
        int received;
        while ((received = await ProcessBatchAsync(maxMessages, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += received;
        }

        return total;
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        CompactionMessage compaction;
        try
        {
            compaction = CompactionMessage.Parse(message.MessageText);
        }
        catch (InvalidDataException)
        {
            await PoisonAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.DequeueCount > MaxDequeueCount)
        {
            await PoisonAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await job.RunAsync(compaction, cancellationToken).ConfigureAwait(false);
            await storage.CompactShards.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left on the queue: it becomes visible again after the timeout and is retried.
            PipelineLog.CompactionAttemptFailed(logger, ex, message.DequeueCount);
        }
    }

    private async Task PoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await storage.CompactShardsPoison.SendMessageAsync(message.MessageText, cancellationToken).ConfigureAwait(false);
        await storage.CompactShards.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        PipelineLog.CompactionPoisoned(logger, storage.Names.CompactShards, storage.Names.CompactShardsPoison, message.DequeueCount, message.MessageText);
    }
}
