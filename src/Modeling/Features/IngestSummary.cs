namespace Clv.Modeling.Features;

/// <summary>What featurizing one export found: the figures the <c>Ingestions</c> table and <c>clv featurize --json</c> report.</summary>
/// <param name="SourceName">The export's file or blob name.</param>
/// <param name="Rows">Data rows read (blank lines and the header excluded); <c>Accepted + Rejected + Skipped + Excluded</c>.</param>
/// <param name="Accepted">Rows that count.</param>
/// <param name="Rejected">Rows rejected with a reason.</param>
/// <param name="Skipped">
/// Rows that are not orders of their own (<see cref="SkippedReason"/>): guest rows without a customer id, and under a profile
/// the further lines of an order counted on its first line; counted, not used, and not part of the rejected share.
/// </param>
/// <param name="Customers">Distinct customers among accepted rows.</param>
/// <param name="TotalSpend">Sum of accepted amounts (returns negative).</param>
/// <param name="TextBytes">Bytes of text read (after gzip decompression).</param>
/// <param name="Elapsed">Wall time of reading and aggregating.</param>
public sealed record IngestSummary(
    string SourceName,
    long Rows,
    long Accepted,
    long Rejected,
    long Skipped,
    int Customers,
    double TotalSpend,
    long TextBytes,
    TimeSpan Elapsed)
{
    /// <summary>The export profile the file was read with (e.g. <c>shopify-orders</c>), or <c>generic</c>.</summary>
    public string Profile { get; init; } = Clv.Modeling.Ingest.ExportProfiles.Generic;

    /// <summary>Rows that are not revenue (refunded, voided, cancelled, failed, test statuses); part of <see cref="Rows"/>.</summary>
    public long Excluded { get; init; }

    /// <summary>The currency amounts are counted in, or <see langword="null"/> when the export names none.</summary>
    public string? Currency { get; init; }

    /// <summary>Whether customer ids that are e-mail addresses or phone numbers were keyed with HMAC-SHA256.</summary>
    public bool HashedIds { get; init; }

    /// <summary>Why rows are skipped: the reason reported beside <see cref="Skipped"/>.</summary>
    public const string SkippedReason = "no customer id (guest order), or a further line of an order counted on its first line";

    /// <summary>Throughput in MB/s (10^6 bytes of text per second).</summary>
    public double MegabytesPerSecond => Elapsed > TimeSpan.Zero ? TextBytes / 1e6 / Elapsed.TotalSeconds : 0;

    /// <summary>Throughput in rows per second.</summary>
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;
}
