using System.CommandLine;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Cli.Local;

/// <summary>How exports are read (column mapping, layout), shared by <c>featurize</c> and <c>run</c>.</summary>
internal sealed class ExportOptionSet
{
    public Option<string?> Customer { get; } = new("--customer-column") { Description = "Customer id column (header name, or 1-based number with --no-header)." };

    public Option<string?> Timestamp { get; } = new("--date-column") { Description = "Order date/timestamp column." };

    public Option<string?> Amount { get; } = new("--amount-column") { Description = "Amount column (else quantity x unit price)." };

    public Option<string?> OrderId { get; } = new("--order-column") { Description = "Order id column." };

    public Option<string?> Quantity { get; } = new("--quantity-column") { Description = "Quantity column." };

    public Option<string?> UnitPrice { get; } = new("--unit-price-column") { Description = "Unit price column." };

    public Option<string?> DateFormat { get; } = new("--date-format") { Description = $"Date layout: {string.Join(", ", ExportReaderOptions.DateFormats)} (detected when left out)." };

    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "Field delimiter: comma, semicolon, tab, pipe or whitespace (detected when left out)." };

    public Option<bool> DecimalComma { get; } = new("--decimal-comma") { Description = "Numbers use a decimal comma (12,50)." };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The first line is data; give columns as 1-based numbers." };

    public Option<double> MaxRejected { get; } = new("--max-rejected-share") { Description = "Fail a file when more than this share of rows is rejected.", DefaultValueFactory = _ => ExportReaderOptions.DefaultMaxRejectedShare };

    public IEnumerable<Option> All => [Customer, Timestamp, Amount, OrderId, Quantity, UnitPrice, DateFormat, Delimiter, DecimalComma, NoHeader, MaxRejected];

    /// <summary>Reads and checks the values; a bad one is a <see cref="CliUserException"/> naming the option.</summary>
    public ExportReaderOptions Bind(ParseResult parseResult) => new()
    {
        CustomerIdColumn = parseResult.GetValue(Customer),
        TimestampColumn = parseResult.GetValue(Timestamp),
        AmountColumn = parseResult.GetValue(Amount),
        OrderIdColumn = parseResult.GetValue(OrderId),
        QuantityColumn = parseResult.GetValue(Quantity),
        UnitPriceColumn = parseResult.GetValue(UnitPrice),
        DateFormat = parseResult.GetValue(DateFormat),
        Delimiter = ParseDelimiter(parseResult.GetValue(Delimiter)),
        DecimalComma = parseResult.GetValue(DecimalComma),
        HasHeader = !parseResult.GetValue(NoHeader),
        MaxRejectedShare = CheckShare(parseResult.GetValue(MaxRejected)),
    };

    /// <summary>A bucket size from its name; an unknown one is a <see cref="CliUserException"/>.</summary>
    public static BucketSize ParseBucket(string? text) => BucketNames.TryParse(text, out var bucket)
        ? bucket
        : throw new CliUserException($"--bucket '{text}' is not a bucket size.", "use day, week or month");

    private static char? ParseDelimiter(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "," or "COMMA" => ',',
        ";" or "SEMICOLON" => ';',
        "\\T" or "\t" or "TAB" => '\t',
        "|" or "PIPE" => '|',
        "SPACE" or "WHITESPACE" => ' ',
        _ => throw new CliUserException($"--delimiter '{text}' is not supported.", "use comma, semicolon, tab, pipe or whitespace, or leave it out to detect it"),
    };

    private static double CheckShare(double share) => share is >= 0 and <= 1
        ? share
        : throw new CliUserException($"--max-rejected-share {share} is outside 0..1.", "e.g. --max-rejected-share 0.2 for 20%");
}
