using Azure;
using Clv.Pipeline.Score;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>Handles <c>score-shards</c> messages as they arrive, polling with backoff while the queue is empty: the local queue trigger.</summary>
internal sealed partial class ScoreQueueListener(ScoreQueueWorker worker, LocalHostOptions options, ILogger<ScoreQueueListener> logger, TimeProvider time) : BackgroundService
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
                received = await worker.ProcessBatchAsync(2, stoppingToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                LogPollFailed(logger, ex);
                received = 0;
            }

            wait = received > 0 ? MinPollInterval : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.MaxQueuePollInterval.Ticks));
            if (received == 0)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning, Message = "Polling score-shards failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
