using Azure.Storage.Queues.Models;
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
    public const int MaxDequeueCount = 5;

    /// <summary>How long a received message stays invisible while it is scored.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and handles them concurrently.</summary>
    /// <returns>Messages received (handled, poisoned or failed).</returns>
    public async Task<int> ProcessBatchAsync(int maxMessages = 4, CancellationToken cancellationToken = default)
    {
        QueueMessage[] messages = await storage.ScoreShards.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    /// <summary>Processes messages until the queue is empty.</summary>
    /// <returns>Messages received.</returns>
    public async Task<int> DrainAsync(int maxMessages = 4, CancellationToken cancellationToken = default)
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
        if (message.DequeueCount > MaxDequeueCount)
        {
            await PoisonAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            // A malformed message is moved to the poison queue by the job itself and then deleted here, as in Azure.
            await job.RunAsync(message.MessageText, cancellationToken).ConfigureAwait(false);
            await storage.ScoreShards.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left on the queue: it becomes visible again after the timeout and is retried.
            ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "failed"));
            PipelineLog.ShardAttemptFailed(logger, ex, message.DequeueCount);
        }
    }

    private async Task PoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await storage.ScoreShardsPoison.SendMessageAsync(message.MessageText, cancellationToken).ConfigureAwait(false);
        await storage.ScoreShards.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        ClvTelemetry.ScoreShards.Add(1, new KeyValuePair<string, object?>("status", "poisoned"));
        PipelineLog.ShardPoisoned(logger, storage.Names.ScoreShards, storage.Names.ScoreShardsPoison, message.DequeueCount, message.MessageText);
    }
}
