using Clv.Pipeline.Score;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary>One <c>score-shards</c> message scores one shard into <c>Predictions</c>.</summary>
public sealed class ScoreShardQueueTrigger(ShardScoreJob job)
{
    /// <summary>
    /// Scores the shard; a failure throws so the message is retried and, after <c>maxDequeueCount</c>, poisoned. A
    /// malformed message is moved to the poison queue at once by the job, as the local host's queue worker does.
    /// </summary>
    [Function(FunctionNames.ScoreShard)]
    public async Task RunAsync(
        [QueueTrigger(FunctionNames.ScoreShardsQueue)] string message,
        CancellationToken cancellationToken)
    {
        await job.RunAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
