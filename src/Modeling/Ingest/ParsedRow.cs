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

/// <summary>Row counts of an export or of one chunk of it: <c>Rows = Accepted + Rejected + Skipped</c>.</summary>
internal readonly record struct ParseCounts(long Rows, long Accepted, long Rejected, long Skipped, long Bytes)
{
    public static ParseCounts operator +(ParseCounts left, ParseCounts right) =>
        new(left.Rows + right.Rows, left.Accepted + right.Accepted, left.Rejected + right.Rejected, left.Skipped + right.Skipped, left.Bytes + right.Bytes);
}

/// <summary>What became of one data row.</summary>
internal enum RowOutcome
{
    /// <summary>The row counts.</summary>
    Accepted,

    /// <summary>The row was rejected with a reason.</summary>
    Rejected,

    /// <summary>A guest row (no customer id): counted, not used, not rejected.</summary>
    Skipped,
}
