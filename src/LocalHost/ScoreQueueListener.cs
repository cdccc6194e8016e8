using Clv.Pipeline.Score;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>Handles <c>score-shards</c> messages as they arrive, two at a time: the local queue trigger.</summary>
internal sealed class ScoreQueueListener(ScoreQueueWorker worker, LocalHostOptions options, ILogger<ScoreQueueListener> logger, TimeProvider time)
    : QueuePollingListener("score-shards", ct => worker.ProcessBatchAsync(2, ct), options, logger, time);
