using Clv.Pipeline.Configuration;
using Clv.Pipeline.Train;
using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>Runs the training job on <c>Clv:Training:Schedule</c> (six-field cron, UTC), never on start-up: the local timer trigger.</summary>
internal sealed partial class TrainingScheduler(TrainJob job, ClvOptions options, ILogger<TrainingScheduler> logger, TimeProvider time) : BackgroundService
{
    private readonly CronExpression _schedule = CronExpression.Parse(options.Training.Schedule, CronFormat.IncludeSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = _schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                LogNoOccurrence(logger, options.Training.Schedule);
                return;
            }

            LogNext(logger, next.Value);
            await Task.Delay(next.Value - now.UtcDateTime, time, stoppingToken).ConfigureAwait(false);
            try
            {
                var outcome = await job.RunAsync(stoppingToken).ConfigureAwait(false);
                LogTrained(logger, outcome.RunId, outcome.ModelVersion ?? "(none)", outcome.Promoted, outcome.Reason);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Next training at {Next:u}")]
    private static partial void LogNext(ILogger logger, DateTime next);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Training {RunId}: model {ModelVersion}, promoted {Promoted} ({Reason})")]
    private static partial void LogTrained(ILogger logger, string runId, string modelVersion, bool promoted, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Training failed; the next run is on schedule")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Schedule {Schedule} has no future occurrence; the training timer stops")]
    private static partial void LogNoOccurrence(ILogger logger, string schedule);
}
