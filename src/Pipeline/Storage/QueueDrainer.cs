using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Drains one queue outside the Functions runtime (local host, tools, benchmarks) as the Functions queue trigger does:
/// receive a batch, handle its messages concurrently, delete each one handled; a message that failed
/// <see cref="MaxDequeueCount"/> times, or that its handler calls malformed, moves to the poison queue. One place for
/// this protocol, shared by the <c>score-shards</c> and <c>compact-shards</c> workers.
/// </summary>
/// <param name="queue">The queue drained.</param>
/// <param name="poison">Where failed and malformed messages go.</param>
/// <param name="visibilityTimeout">How long a received message stays invisible while it is handled.</param>
/// <param name="handle">Handles one message's text; returns <see langword="false"/> when the message is malformed and can never succeed.</param>
/// <param name="failed">Told of a failed attempt (the message stays and is retried after the timeout), with its dequeue count.</param>
/// <param name="poisoned">Told of a message moved to the poison queue.</param>
public sealed class QueueDrainer(
    QueueClient queue,
    QueueClient poison,
    TimeSpan visibilityTimeout,
    Func<string, CancellationToken, Task<bool>> handle,
    Action<Exception, long> failed,
    Action<QueueMessage> poisoned)
{
    /// <summary>Attempts before a message is poisoned (matches <c>host.json</c> <c>maxDequeueCount</c>).</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and handles them concurrently.</summary>
    /// <returns>Messages received (handled, poisoned or failed).</returns>
    public async Task<int> ProcessBatchAsync(int maxMessages, CancellationToken cancellationToken = default)
    {
        QueueMessage[] messages = await queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    /// <summary>Processes messages until the queue is empty.</summary>
    /// <returns>Messages received.</returns>
    public async Task<int> DrainAsync(int maxMessages, CancellationToken cancellationToken = default)
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
            if (!await handle(message.MessageText, cancellationToken).ConfigureAwait(false))
            {
                await PoisonAsync(message, cancellationToken).ConfigureAwait(false);
                return;
            }

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left on the queue: it becomes visible again after the timeout and is retried.
            failed(ex, message.DequeueCount);
        }
    }

    private async Task PoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await poison.SendMessageAsync(message.MessageText, cancellationToken).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        poisoned(message);
    }
}
