using Clv.Pipeline.Compact;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary>One <c>compact-shards</c> message merges one export's partial into the customer shard files it touches.</summary>
public sealed class CompactShardsQueueTrigger(CompactionJob job)
{
    /// <summary>Compacts the partial; a failure throws so the message is retried and, after <c>maxDequeueCount</c>, poisoned.</summary>
    [Function(FunctionNames.CompactShards)]
    public async Task RunAsync(
        [QueueTrigger(FunctionNames.CompactShardsQueue)] string message,
        CancellationToken cancellationToken)
    {
        await job.RunAsync(CompactionMessage.Parse(message), cancellationToken).ConfigureAwait(false);
    }
}
