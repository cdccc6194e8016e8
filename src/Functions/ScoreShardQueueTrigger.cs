using Clv.Pipeline.Score;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary>One <c>score-shards</c> message scores one shard into <c>Predictions</c>.</summary>
public sealed class ScoreShardQueueTrigger(ShardScoreJob job)
{
    /// <summary>Scores the shard; a failure throws so the message is retried and, after <c>maxDequeueCount</c>, poisoned.</summary>
    [Function(FunctionNames.ScoreShard)]
    public async Task RunAsync(
        [QueueTrigger(FunctionNames.ScoreShardsQueue)] string message,
        CancellationToken cancellationToken)
    {
        await job.RunAsync(ScoreShardMessage.Parse(message), cancellationToken).ConfigureAwait(false);
    }
}
