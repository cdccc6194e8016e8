using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Telemetry;

/// <summary>Structured log messages of the jobs; each carries the run id.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Featurize {RunId}: {BlobName} ({ETag}) already processed with status {Status}; skipped")]
    public static partial void FeaturizeSkipped(ILogger logger, string runId, string blobName, string eTag, string status);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Featurize {RunId}: {BlobName} succeeded: {Rows} rows, {Rejected} rejected, {Customers} customers in {DurationMs:F0} ms")]
    public static partial void FeaturizeSucceeded(ILogger logger, string runId, string blobName, long rows, long rejected, int customers, double durationMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Featurize {RunId}: {BlobName} failed: {Error}")]
    public static partial void FeaturizeFailed(ILogger logger, string runId, string blobName, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Featurize {RunId}: {BlobName} changed while it was read; the new version is processed on its own")]
    public static partial void FeaturizeBlobChanged(ILogger logger, string runId, string blobName);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Train {RunId}: model {ModelVersion} on {Customers} customers from {PartialCount} partials; promoted {Promoted} ({Reason})")]
    public static partial void TrainFinished(ILogger logger, string runId, string modelVersion, long customers, int partialCount, bool promoted, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Train {RunId}: predictions of {ModelVersion} made at {AsOf} judged on {Customers} customers: realized Gini {Gini}, coverage80 {Coverage}")]
    public static partial void RealizedAccuracy(ILogger logger, string runId, string modelVersion, string asOf, int customers, double? gini, double? coverage);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Train {RunId}: stored predictions could not be judged: {Error}")]
    public static partial void RealizedAccuracyFailed(ILogger logger, Exception exception, string runId, string error);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Train {RunId}: nothing to train on: no partials in container {Container}")]
    public static partial void TrainNoPartials(ILogger logger, string runId, string container);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Train {RunId}: failed")]
    public static partial void TrainFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Score {RunId}: fanned out {ShardCount} shard messages for model {ModelVersion} as of {AsOf}")]
    public static partial void ScoreFannedOut(ILogger logger, string runId, int shardCount, string modelVersion, string asOf);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Score {RunId}: shard {ShardIndex}/{ShardCount} wrote {Predictions} predictions in {DurationMs:F0} ms")]
    public static partial void ShardScored(ILogger logger, string runId, int shardIndex, int shardCount, long predictions, double durationMs);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Score {RunId}: model {ModelVersion} gave {Count} non-finite prediction(s), not written (first customer {CustomerId})")]
    public static partial void ShardNonFinite(ILogger logger, string runId, string modelVersion, int count, string customerId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Score: message on {Queue} moved to {PoisonQueue} after {DequeueCount} attempts: {Message}")]
    public static partial void ShardPoisoned(ILogger logger, string queue, string poisonQueue, long dequeueCount, string message);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Score: malformed message on {Queue} moved to {PoisonQueue} without retrying ({Reason})")]
    public static partial void ShardMessageMalformed(ILogger logger, string queue, string poisonQueue, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Score: shard message failed (attempt {DequeueCount}); it becomes visible again")]
    public static partial void ShardAttemptFailed(ILogger logger, Exception exception, long dequeueCount);

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Model {ModelVersion} loaded for live scoring")]
    public static partial void ModelLoaded(ILogger logger, string modelVersion);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "HTTP {Route}: unexpected failure")]
    public static partial void HttpFailed(ILogger logger, Exception exception, string route);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "HTTP {Route}: failed, answered {Status} with correlation id {CorrelationId}")]
    public static partial void HttpFailedWithCorrelation(ILogger logger, Exception exception, string route, int status, string correlationId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Score: shard {ShardIndex} of model {ModelVersion} skipped: the champion is now {Champion}")]
    public static partial void ShardSuperseded(ILogger logger, int shardIndex, string modelVersion, string champion);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Train: model {ModelVersion} not promoted: models/current.json changed since it was compared")]
    public static partial void PromotionRaced(ILogger logger, string modelVersion);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Train {RunId}: the earlier run {AbandonedRunId} started {StartedAt} never finished; marked Abandoned")]
    public static partial void TrainRunAbandoned(ILogger logger, string runId, string abandonedRunId, DateTimeOffset startedAt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Featurize: export {BlobName} deleted; removed {Removed}")]
    public static partial void FeaturizeDeleted(ILogger logger, string blobName, string removed);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Compact: {Partial} ({Version}) checked {Shards} shards, wrote {Written} in {DurationMs:F0} ms")]
    public static partial void Compacted(ILogger logger, string partial, string version, int shards, int written, double durationMs);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Compact: {Shard} changed while {Partial} was merged into it (attempt {Attempt}); merging again")]
    public static partial void CompactionConflict(ILogger logger, string shard, string partial, int attempt);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Compact: message on {Queue} moved to {PoisonQueue} after {DequeueCount} attempts: {Message}")]
    public static partial void CompactionPoisoned(ILogger logger, string queue, string poisonQueue, long dequeueCount, string message);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Compact: message failed (attempt {DequeueCount}); it becomes visible again")]
    public static partial void CompactionAttemptFailed(ILogger logger, Exception exception, long dequeueCount);
}
