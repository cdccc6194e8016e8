using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Clv.Pipeline.Storage;

/// <summary>One row of <c>Runs</c>: a training run, a scoring fan-out or one scored shard.</summary>
public sealed class RunEntity : ITableEntity
{
    /// <summary>Partition of training runs.</summary>
    public const string TrainKind = "train";

    /// <summary>Partition of scoring fan-outs.</summary>
    public const string ScoreKind = "score";

    /// <summary>Partition of scored shards.</summary>
    public const string ShardKind = "score-shard";

    /// <summary>The kind: <see cref="TrainKind"/>, <see cref="ScoreKind"/> or <see cref="ShardKind"/>.</summary>
    public string PartitionKey { get; set; } = string.Empty;

    /// <summary>The run id (for a shard: <c>{modelVersion}_{asOf}_{shard}</c>).</summary>
    public string RowKey { get; set; } = string.Empty;

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary><c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The model trained or used.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>Last day of the data, <c>yyyy-MM-dd</c>.</summary>
    public string? AsOf { get; set; }

    /// <summary>Customers trained on or scored.</summary>
    public long Customers { get; set; }

    /// <summary>Evaluation metrics as JSON (training runs).</summary>
    public string? MetricsJson { get; set; }

    /// <summary>Whether the candidate became the champion (training runs).</summary>
    public bool? Promoted { get; set; }

    /// <summary>Why it was or was not promoted (training runs).</summary>
    public string? PromotionReason { get; set; }

    /// <summary>How the champion's predictions made one horizon earlier fared against realized spend, as JSON (training runs that could judge them).</summary>
    public string? RealizedMetricsJson { get; set; }

    /// <summary>Normalised Gini of those predictions against realized spend.</summary>
    public double? RealizedGini { get; set; }

    /// <summary>Share of those customers whose realized spend lay inside their [P10, P90].</summary>
    public double? RealizedCoverage80 { get; set; }

    /// <summary>The as-of day of the predictions judged, <c>yyyy-MM-dd</c>.</summary>
    public string? RealizedAsOf { get; set; }

    /// <summary>
    /// Customers the realized accuracy was computed on: a seeded uniform sample of those predicted, at most the training
    /// sample cap (<c>Clv:Training:SampleCustomers</c>), drawn by the training sample's rule.
    /// </summary>
    public int? RealizedCustomers { get; set; }

    /// <summary>Shards of the fan-out: messages sent (fan-out rows), or the fan-out a shard row belongs to (column <c>Shards</c>).</summary>
    [DataMember(Name = "Shards")]
    public int? ShardCount { get; set; }

    /// <summary>The shard scored, <c>0..ShardCount-1</c> (shard rows only).</summary>
    public int? ShardIndex { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Wall time in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }
}
