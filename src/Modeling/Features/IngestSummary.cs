namespace Clv.Modeling.Features;

/// <summary>What featurizing one export found: the figures the <c>Ingestions</c> table and <c>clv featurize --json</c> report.</summary>
/// <param name="SourceName">The export's file or blob name.</param>
/// <param name="Rows">Data rows read (blank lines and the header excluded); <c>Accepted + Rejected + Skipped</c>.</param>
/// <param name="Accepted">Rows that count.</param>
/// <param name="Rejected">Rows rejected with a reason.</param>
/// <param name="Skipped">Guest rows without a customer id (<see cref="SkippedReason"/>): counted, not used, and not part of the rejected share.</param>
/// <param name="Customers">Distinct customers among accepted rows.</param>
/// <param name="TotalSpend">Sum of accepted amounts (returns negative).</param>
/// <param name="Bytes">Bytes of text read (after gzip).</param>
/// <param name="Elapsed">Wall time of reading and aggregating.</param>
public sealed record IngestSummary(
    string SourceName,
    long Rows,
    long Accepted,
    long Rejected,
    long Skipped,
    int Customers,
    double TotalSpend,
    long Bytes,
    TimeSpan Elapsed)
{
    /// <summary>Why rows are skipped: the reason reported beside <see cref="Skipped"/>.</summary>
    public const string SkippedReason = "no customer id (guest order)";

    /// <summary>Throughput in MB/s (10^6 bytes of text per second).</summary>
    public double MegabytesPerSecond => Elapsed > TimeSpan.Zero ? Bytes / 1e6 / Elapsed.TotalSeconds : 0;

    /// <summary>Throughput in rows per second.</summary>
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;
}
