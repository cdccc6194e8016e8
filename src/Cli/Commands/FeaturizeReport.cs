namespace Clv.Cli.Commands;

/// <summary>What <c>clv featurize --json</c> prints: totals over every file, then one entry per file.</summary>
/// <param name="Profile">The export profiles detected, comma-separated (e.g. <c>shopify-orders</c>).</param>
/// <param name="Skipped">Rows that are not orders of their own: further lines of an order, guest rows.</param>
/// <param name="SkippedReason">Why rows are skipped, in words.</param>
/// <param name="Excluded">Rows whose status is not revenue (refunded, voided, ...).</param>
/// <param name="VectorBits">The vector width, in bits, records were split with (512, 256, 128, or 0 for scalar).</param>
internal sealed record FeaturizeReport(
    string Profile,
    long Rows,
    long Accepted,
    long Rejected,
    long Skipped,
    string SkippedReason,
    long Excluded,
    int Customers,
    double TotalSpend,
    double Seconds,
    int VectorBits,
    IReadOnlyList<FeaturizeFileReport> Files,
    IReadOnlyList<string> Failed);

/// <summary>One file of <see cref="FeaturizeReport"/>.</summary>
internal sealed record FeaturizeFileReport(
    string Name,
    string Profile,
    long Rows,
    long Accepted,
    long Rejected,
    long Skipped,
    long Excluded,
    int Customers,
    double TotalSpend,
    string? Currency,
    bool HashedIds,
    long Bytes,
    double MegabytesPerSecond);
