namespace Clv.Modeling.Ingest;

/// <summary>One accepted row as the parser hands it over: spans into its buffer, valid only during the call.</summary>
internal readonly ref struct ParsedRow
{
    public ReadOnlySpan<byte> CustomerId { get; init; }

    public int DayNumber { get; init; }

    public int SecondOfDay { get; init; }

    public double Amount { get; init; }

    public double Quantity { get; init; }

    /// <summary>UTF-8 order id; empty when the export has none or the field is blank.</summary>
    public ReadOnlySpan<byte> OrderId { get; init; }
}

/// <summary>Receives accepted rows; implemented by structs so the parser's loop is specialised per consumer.</summary>
internal interface IRowConsumer
{
    void Accept(in ParsedRow row);
}

/// <summary>Row counts of an export or of one chunk of it: <c>Rows = Accepted + Rejected + Skipped + Excluded</c>.</summary>
/// <param name="Skipped">Rows that are not orders of their own: guest rows (no customer id), further lines of an order counted once.</param>
internal readonly record struct ParseCounts(long Rows, long Accepted, long Rejected, long Skipped, long TextBytes)
{
    /// <summary>Rows that are not revenue (refunded, voided, cancelled, failed, test).</summary>
    public long Excluded { get; init; }

    public static ParseCounts operator +(ParseCounts left, ParseCounts right) =>
        new(left.Rows + right.Rows, left.Accepted + right.Accepted, left.Rejected + right.Rejected, left.Skipped + right.Skipped, left.TextBytes + right.TextBytes)
        {
            Excluded = left.Excluded + right.Excluded,
        };
}
