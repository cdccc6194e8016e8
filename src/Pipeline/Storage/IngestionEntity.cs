using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Clv.Pipeline.Storage;

/// <summary>One row of <c>Ingestions</c>: the outcome of featurizing one export blob at one ETag.</summary>
public sealed class IngestionEntity : ITableEntity
{
    /// <summary><see cref="TableKey.Escape"/> of the blob name.</summary>
    public string PartitionKey { get; set; } = string.Empty;

    /// <summary><see cref="TableKey.Escape"/> of the blob's ETag.</summary>
    public string RowKey { get; set; } = string.Empty;

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary><see cref="IngestionStatus"/> as text.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>Accepted data rows (column <c>Rows</c>).</summary>
    [DataMember(Name = "Rows")]
    public long Accepted { get; set; }

    /// <summary>Rejected data rows (see <c>rejected/{export name}.csv</c>).</summary>
    public long Rejected { get; set; }

    /// <summary>Rows that are not orders of their own (guest rows without a customer id, further lines of an order): counted apart, not rejected (see <see cref="SkippedReason"/>).</summary>
    public long Skipped { get; set; }

    /// <summary>Why rows were skipped, when any were.</summary>
    public string? SkippedReason { get; set; }

    /// <summary>Distinct customers among the accepted rows.</summary>
    public int Customers { get; set; }

    /// <summary>Size of the export blob as stored, in bytes, compressed when it is gzip (column <c>Bytes</c>).</summary>
    [DataMember(Name = "Bytes")]
    public long BlobBytes { get; set; }

    /// <summary>When featurization started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Wall time in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>Blob name of the partial in <c>features</c>, when it succeeded.</summary>
    public string? PartialBlob { get; set; }

    /// <summary>Blob name in <c>rejected</c>, when rows were rejected.</summary>
    public string? RejectedBlob { get; set; }

    /// <summary>Why it failed, readable; empty when it succeeded.</summary>
    public string? Error { get; set; }

    /// <summary>Correlates logs and traces of this run.</summary>
    public string RunId { get; set; } = string.Empty;

    /// <summary>The export profile the file was read with (e.g. <c>shopify-orders</c>).</summary>
    public string? Profile { get; set; }

    /// <summary>Rows that are not revenue (refunded, voided, cancelled, failed, test).</summary>
    public long Excluded { get; set; }

    /// <summary>The sidecar mapping the export was read with, or <see langword="null"/>.</summary>
    public string? MappingBlob { get; set; }
}

/// <summary>Outcome of featurizing one export.</summary>
public enum IngestionStatus
{
    /// <summary>Partial written; rows count.</summary>
    Succeeded,

    /// <summary>The file was unusable (missing columns, too many rejected rows); nothing counts; the blob is untouched.</summary>
    Failed,

    /// <summary>The same blob name and ETag were already processed; nothing was done.</summary>
    Skipped,

    /// <summary>The export blob was deleted: its partial and rejected rows were removed, and training no longer counts it.</summary>
    Deleted,
}
