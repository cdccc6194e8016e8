using Clv.Pipeline.Compact;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>Handles <c>compact-shards</c> messages as they arrive, one at a time: the local compaction trigger.</summary>
internal sealed class CompactionQueueListener(CompactionQueueWorker worker, LocalHostOptions options, ILogger<CompactionQueueListener> logger, TimeProvider time)
    : QueuePollingListener("compact-shards", ct => worker.ProcessBatchAsync(1, ct), options, logger, time);
