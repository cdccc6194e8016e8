using Azure;
using Azure.Data.Tables;
using Clv.Modeling.Scoring;

namespace Clv.Pipeline.Storage;

/// <summary>One row of <c>Predictions</c>: the latest prediction of one customer.</summary>
public sealed class PredictionEntity : ITableEntity
{
    /// <summary><see cref="ShardKey.For"/> of the customer id.</summary>
    public string PartitionKey { get; set; } = string.Empty;

    /// <summary><see cref="TableKey.Escape"/> of the customer id.</summary>
    public string RowKey { get; set; } = string.Empty;

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>Expected spend over the horizon.</summary>
    public double Clv { get; set; }

    /// <summary>Probability of any purchase over the horizon.</summary>
    public double PPurchase { get; set; }

    /// <summary>10th percentile of spend over the horizon; null on rows written before intervals were scored.</summary>
    public double? ClvP10 { get; set; }

    /// <summary>Median spend over the horizon; null on rows written before intervals were scored.</summary>
    public double? ClvP50 { get; set; }

    /// <summary>90th percentile of spend over the horizon; null on rows written before intervals were scored.</summary>
    public double? ClvP90 { get; set; }

    /// <summary>Version of the model that scored it.</summary>
    public string ModelVersion { get; set; } = string.Empty;

    /// <summary>Last day of the data scored, <c>yyyy-MM-dd</c>.</summary>
    public string AsOf { get; set; } = string.Empty;

    /// <summary>When the row was written.</summary>
    public DateTimeOffset ScoredAt { get; set; }

    /// <summary>The customer id, unescaped from <see cref="RowKey"/>.</summary>
    public string CustomerId => TableKey.Unescape(RowKey);

    /// <summary>The row of <paramref name="customerId"/>.</summary>
    public static PredictionEntity Create(string customerId, ClvPrediction prediction, string modelVersion, DateOnly asOf, DateTimeOffset scoredAt) => new()
    {
        PartitionKey = ShardKey.For(customerId),
        RowKey = TableKey.Escape(customerId),
        Clv = prediction.Clv,
        PPurchase = prediction.PPurchase,
        ClvP10 = prediction.ClvP10,
        ClvP50 = prediction.ClvP50,
        ClvP90 = prediction.ClvP90,
        ModelVersion = modelVersion,
        AsOf = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ScoredAt = scoredAt,
    };
}
