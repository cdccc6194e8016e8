using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>
/// A local queue trigger: handles a queue's messages as they arrive, polling with exponential backoff (up to
/// <see cref="LocalHostOptions.MaxQueuePollInterval"/>) while it is empty; a failed poll is logged and retried.
/// </summary>
/// <param name="queueName">The queue, for the log.</param>
/// <param name="processBatch">Receives and handles one batch; returns the messages received.</param>
internal abstract partial class QueuePollingListener(string queueName, Func<CancellationToken, Task<int>> processBatch, LocalHostOptions options, ILogger logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = MinPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await processBatch(stoppingToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                LogPollFailed(logger, ex, queueName);
                received = 0;
            }

            wait = received > 0 ? MinPollInterval : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.MaxQueuePollInterval.Ticks));
            if (received == 0)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning, Message = "Polling {Queue} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);
}
