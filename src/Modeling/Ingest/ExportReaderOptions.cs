namespace Clv.Modeling.Ingest;

/// <summary>How to read a transaction export. Every option has a default that suits typical shop exports; change one with <c>with</c>.</summary>
/// <remarks>
/// Column options take a header name (matched case-insensitively, ignoring spaces, <c>_</c> and <c>-</c>) when the
/// file has a header row, or a 1-based column number when <see cref="HasHeader"/> is <see langword="false"/>.
/// A column left <see langword="null"/> is detected from common header names (see <c>ExportColumns</c>).
/// <c>default(ExportReaderOptions)</c> equals <c>new ExportReaderOptions()</c>: every default holds for both.
/// </remarks>
public readonly record struct ExportReaderOptions
{
    private readonly bool _noHeader;
    private readonly double? _maxRejectedShare;
    private readonly double? _maxAmount;
    private readonly long? _maxDecompressedBytes;
    private readonly double? _maxCompressionRatio;

    /// <summary>The most bytes a gzip export may decompress to: 64 GiB.</summary>
    public const long DefaultMaxDecompressedBytes = 64L << 30;

    /// <summary>The most a gzip export may expand over its compressed size: 200 times (order exports compress 5 to 30 times).</summary>
    public const double DefaultMaxCompressionRatio = 200;

    /// <summary>The share of rejected rows above which a whole file fails: 20%.</summary>
    public const double DefaultMaxRejectedShare = 0.2;

    /// <summary>The largest absolute amount, quantity, or quantity x unit price a row may carry: 1e9.</summary>
    public const double DefaultMaxAmount = 1e9;

    /// <summary>The longest customer id, in UTF-8 bytes: 256 (so an escaped table key always fits its 1 KiB limit).</summary>
    public const int MaxCustomerIdBytes = 256;

    /// <summary>The earliest date a row may carry: 1970-01-01.</summary>
    public static DateOnly EarliestDate { get; } = new(1970, 1, 1);

    /// <summary>Creates options with every default.</summary>
    public ExportReaderOptions()
    {
    }

    /// <summary>Options with every default.</summary>
    public static ExportReaderOptions Default { get; } = new();

    /// <summary>
    /// Field delimiter, or <see langword="null"/> (default) to detect it from the first line among <c>,</c> <c>;</c> tab and
    /// runs of whitespace. A space (<c>' '</c>) means "runs of spaces and tabs" (as in CDNOW), with no quoting.
    /// </summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether the first line names the columns (default <see langword="true"/>).</summary>
    public bool HasHeader
    {
        get => !_noHeader;
        init => _noHeader = !value;
    }

    /// <summary>Customer id column (required; detected when <see langword="null"/>).</summary>
    public string? CustomerIdColumn { get; init; }

    /// <summary>Order date or timestamp column (required; detected when <see langword="null"/>).</summary>
    public string? TimestampColumn { get; init; }

    /// <summary>Line or order amount column; when absent, amount is <see cref="QuantityColumn"/> x <see cref="UnitPriceColumn"/>.</summary>
    public string? AmountColumn { get; init; }

    /// <summary>Order id column (optional; without one, each customer's purchases of one day form one order).</summary>
    public string? OrderIdColumn { get; init; }

    /// <summary>Quantity (items) column (optional unless the amount is quantity x unit price).</summary>
    public string? QuantityColumn { get; init; }

    /// <summary>Unit price column, used only when there is no amount column.</summary>
    public string? UnitPriceColumn { get; init; }

    /// <summary>
    /// Date layout, or <see langword="null"/> (default) to detect it from the first rows. One of <see cref="DateFormats"/>;
    /// each accepts an optional time (<c>H:mm</c>, <c>H:mm:ss</c>, fractions, <c>AM</c>/<c>PM</c>) and, for ISO 8601, an offset.
    /// Needed when day-first and month-first dates cannot be told apart from the data.
    /// </summary>
    public string? DateFormat { get; init; }

    /// <summary>Whether numbers use a decimal comma (<c>12,50</c>) instead of a decimal point (default <see langword="false"/>).</summary>
    public bool DecimalComma { get; init; }

    /// <summary>Share of rejected rows (0..1) above which the whole file fails (default <see cref="DefaultMaxRejectedShare"/>).</summary>
    public double MaxRejectedShare
    {
        get => _maxRejectedShare ?? DefaultMaxRejectedShare;
        init => _maxRejectedShare = value;
    }

    /// <summary>
    /// Export profile by name (see <see cref="ExportProfiles.Names"/>), or <see langword="null"/> (default) to detect it from the
    /// header row; <c>generic</c> turns detection off and uses the common header names only.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>Refunded-amount column, subtracted from the amount of its row (a profile's own is used when <see langword="null"/>).</summary>
    public string? RefundColumn { get; init; }

    /// <summary>Currency code column (a profile's own, or a column named <c>currency</c>, is used when <see langword="null"/>).</summary>
    public string? CurrencyColumn { get; init; }

    /// <summary>Order or payment status column, read with <see cref="NonRevenueStatuses"/> (a profile's own is used when <see langword="null"/>).</summary>
    public string? StatusColumn { get; init; }

    /// <summary>Statuses of <see cref="StatusColumn"/> that are not revenue (compared case-insensitively); <see langword="null"/> keeps the profile's list.</summary>
    public IReadOnlyList<string>? NonRevenueStatuses { get; init; }

    /// <summary>
    /// The one currency amounts are counted in (ISO 4217 code, e.g. <c>EUR</c>). Rows in another currency are converted with
    /// <see cref="CurrencyRates"/> when it has their code, otherwise rejected with the reason. When <see langword="null"/>, a file
    /// with a currency column is counted in its most common currency among its first rows.
    /// </summary>
    public string? Currency { get; init; }

    /// <summary>Units of <see cref="Currency"/> per unit of each other currency (e.g. <c>USD = 0.92</c> for EUR), or <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, double>? CurrencyRates { get; init; }

    /// <summary>
    /// Keys customer ids that are e-mail addresses or phone numbers with HMAC-SHA256 before they leave the reader;
    /// <see langword="null"/> makes such a file fail with a message asking for a key.
    /// </summary>
    public CustomerIdHasher? CustomerIdHasher { get; init; }

    /// <summary>How the host names these options in messages (the tool's flags, the mapping file's fields); <see langword="null"/> for the property names.</summary>
    public ExportOptionNames? OptionNames { get; init; }

    /// Largest absolute amount, quantity, or quantity x unit price (default <see cref="DefaultMaxAmount"/>); a row beyond it
    /// is rejected with its reason, so no overflow or infinity reaches features, labels or predictions.
    /// </summary>
    public double MaxAmount
    {
        get => _maxAmount ?? DefaultMaxAmount;
        init => _maxAmount = value;
    }

    /// <summary>Most bytes a gzip export may decompress to (default <see cref="DefaultMaxDecompressedBytes"/>); past it the file fails as a whole.</summary>
    public long MaxDecompressedBytes
    {
        get => _maxDecompressedBytes ?? DefaultMaxDecompressedBytes;
        init => _maxDecompressedBytes = value;
    }

    /// <summary>
    /// Most a gzip export may expand over the compressed bytes read so far (default <see cref="DefaultMaxCompressionRatio"/>),
    /// judged once the text passes 1 MiB; past it the file fails as a whole as a likely decompression bomb.
    /// </summary>
    public double MaxCompressionRatio
    {
        get => _maxCompressionRatio ?? DefaultMaxCompressionRatio;
        init => _maxCompressionRatio = value;
    }

    /// <summary>
    /// The time of ingestion, or <see langword="null"/> (default) for the clock when reading starts. A row dated more than
    /// a day after it (or before <see cref="EarliestDate"/>) is rejected with its reason.
    /// </summary>
    public DateTimeOffset? IngestedAt { get; init; }

    /// <summary>The date layouts <see cref="DateFormat"/> accepts.</summary>
    public static IReadOnlyList<string> DateFormats { get; } = DateLayouts.Names;
}
