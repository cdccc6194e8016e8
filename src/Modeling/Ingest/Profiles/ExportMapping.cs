using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clv.Modeling.Ingest;

/// <summary>
/// A per-export mapping, as a JSON file: <c>clv featurize --mapping file.json</c>, or a sidecar
/// <c>exports/{name}.mapping.json</c> beside the export in Azure. Each field set overrides the detected profile for that
/// file; fields left out keep what the profile or detection gives.
/// </summary>
/// <example><code>{ "profile": "shopify-orders", "customerColumn": "Billing Phone", "currency": "EUR", "nonRevenueStatuses": ["pending", "voided"] }</code></example>
public sealed record ExportMapping
{
    /// <summary>Profile name (<see cref="ExportProfiles.Names"/>), or <c>generic</c> for the common header names only.</summary>
    public string? Profile { get; init; }

    /// <summary>Customer id column.</summary>
    public string? CustomerColumn { get; init; }

    /// <summary>Order date or timestamp column.</summary>
    public string? DateColumn { get; init; }

    /// <summary>Amount column.</summary>
    public string? AmountColumn { get; init; }

    /// <summary>Order id column.</summary>
    public string? OrderColumn { get; init; }

    /// <summary>Quantity column.</summary>
    public string? QuantityColumn { get; init; }

    /// <summary>Unit price column.</summary>
    public string? UnitPriceColumn { get; init; }

    /// <summary>Refunded amount column, subtracted from the amount.</summary>
    public string? RefundColumn { get; init; }

    /// <summary>Currency code column.</summary>
    public string? CurrencyColumn { get; init; }

    /// <summary>Status column.</summary>
    public string? StatusColumn { get; init; }

    /// <summary>Statuses that are not revenue.</summary>
    public IReadOnlyList<string>? NonRevenueStatuses { get; init; }

    /// <summary>Date layout (<see cref="ExportReaderOptions.DateFormats"/>).</summary>
    public string? DateFormat { get; init; }

    /// <summary>Field delimiter: <c>,</c> <c>;</c> tab <c>|</c>, or a space for runs of whitespace.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Numbers use a decimal comma.</summary>
    public bool? DecimalComma { get; init; }

    /// <summary>The currency amounts are counted in.</summary>
    public string? Currency { get; init; }

    /// <summary>Units of <see cref="Currency"/> per unit of each other currency.</summary>
    public IReadOnlyDictionary<string, double>? CurrencyRates { get; init; }

    /// <summary>Reads a mapping; a malformed one fails naming the source and the field.</summary>
    /// <exception cref="ExportFormatException">The JSON is malformed, has an unknown field, or a bad value.</exception>
    public static ExportMapping Read(Stream json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        ExportMapping? mapping;
        try
        {
            mapping = JsonSerializer.Deserialize(json, ExportMappingJsonContext.Default.ExportMapping);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}" + (ex.Path is { Length: > 0 } path ? $", {path}" : string.Empty) + ": " : string.Empty;
            throw new ExportFormatException(sourceName, $"{where}not a valid mapping ({ex.Message.Split(". Path:", 2)[0]}); fields: {string.Join(", ", FieldNames)}.");
        }

        mapping ??= new ExportMapping();
        mapping.Validate(sourceName);
        return mapping;
    }

    /// <summary>Reads a mapping file.</summary>
    /// <exception cref="ExportFormatException">The file is not a valid mapping.</exception>
    public static ExportMapping ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>The mapping as JSON (the fields set).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ExportMappingJsonContext.Default.ExportMapping);

    /// <summary>The fields a mapping file may set.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
    [
        "profile", "customerColumn", "dateColumn", "amountColumn", "orderColumn", "quantityColumn", "unitPriceColumn", "refundColumn",
        "currencyColumn", "statusColumn", "nonRevenueStatuses", "dateFormat", "delimiter", "decimalComma", "currency", "currencyRates",
    ];

    /// <summary>A mapping that sets what <paramref name="options"/> sets (for showing the mapping in use).</summary>
    public static ExportMapping From(in ExportReaderOptions options) => new()
    {
        Profile = options.Profile,
        CustomerColumn = options.CustomerIdColumn,
        DateColumn = options.TimestampColumn,
        AmountColumn = options.AmountColumn,
        OrderColumn = options.OrderIdColumn,
        QuantityColumn = options.QuantityColumn,
        UnitPriceColumn = options.UnitPriceColumn,
        RefundColumn = options.RefundColumn,
        CurrencyColumn = options.CurrencyColumn,
        StatusColumn = options.StatusColumn,
        NonRevenueStatuses = options.NonRevenueStatuses,
        DateFormat = options.DateFormat,
        Delimiter = options.Delimiter is { } d ? d.ToString() : null,
        DecimalComma = options.DecimalComma ? true : null,
        Currency = options.Currency,
        CurrencyRates = options.CurrencyRates,
    };

    /// <summary><paramref name="options"/> with every field this mapping sets applied over it.</summary>
    public ExportReaderOptions ApplyTo(ExportReaderOptions options) => options with
    {
        Profile = Profile ?? options.Profile,
        CustomerIdColumn = CustomerColumn ?? options.CustomerIdColumn,
        TimestampColumn = DateColumn ?? options.TimestampColumn,
        AmountColumn = AmountColumn ?? options.AmountColumn,
        OrderIdColumn = OrderColumn ?? options.OrderIdColumn,
        QuantityColumn = QuantityColumn ?? options.QuantityColumn,
        UnitPriceColumn = UnitPriceColumn ?? options.UnitPriceColumn,
        RefundColumn = RefundColumn ?? options.RefundColumn,
        CurrencyColumn = CurrencyColumn ?? options.CurrencyColumn,
        StatusColumn = StatusColumn ?? options.StatusColumn,
        NonRevenueStatuses = NonRevenueStatuses ?? options.NonRevenueStatuses,
        DateFormat = DateFormat ?? options.DateFormat,
        Delimiter = Delimiter is { } delimiter ? (delimiter == "\\t" ? '\t' : delimiter[0]) : options.Delimiter,
        DecimalComma = DecimalComma ?? options.DecimalComma,
        Currency = Currency ?? options.Currency,
        CurrencyRates = CurrencyRates ?? options.CurrencyRates,
    };

    private void Validate(string sourceName)
    {
        if (Profile is not null && !ExportProfiles.Names.Contains(Profile, StringComparer.OrdinalIgnoreCase))
        {
            throw new ExportFormatException(sourceName, $"\"profile\": '{Profile}' is not a profile; expected one of {string.Join(", ", ExportProfiles.Names)}.");
        }

        if (DateFormat is not null && !ExportReaderOptions.DateFormats.Contains(DateFormat, StringComparer.OrdinalIgnoreCase))
        {
            throw new ExportFormatException(sourceName, $"\"dateFormat\": '{DateFormat}' is not supported; expected one of {string.Join(", ", ExportReaderOptions.DateFormats)}.");
        }

        if (Delimiter is not null && Delimiter is not ("," or ";" or "\t" or "\\t" or "|" or " "))
        {
            throw new ExportFormatException(sourceName, $"\"delimiter\": '{Delimiter}' is not supported; expected \",\", \";\", \"\\t\", \"|\" or \" \" (runs of whitespace).");
        }

        if (Currency is not null && !IsCurrencyCode(Currency))
        {
            throw new ExportFormatException(sourceName, $"\"currency\": '{Currency}' is not a three-letter currency code such as EUR.");
        }

        foreach (var (code, rate) in CurrencyRates ?? new Dictionary<string, double>())
        {
            if (!IsCurrencyCode(code) || !(rate > 0) || double.IsInfinity(rate))
            {
                throw new ExportFormatException(sourceName, $"\"currencyRates\": '{code}': {rate} must be a three-letter code with a positive rate.");
            }
        }

        if (CurrencyRates is not null && Currency is null)
        {
            throw new ExportFormatException(sourceName, "\"currencyRates\" needs \"currency\", the currency the rates convert into.");
        }
    }

    /// <summary>Whether <paramref name="code"/> is three ASCII letters.</summary>
    public static bool IsCurrencyCode(string code) => code.Length == 3 && code.All(char.IsAsciiLetter);
}

/// <summary>
/// The JSON of a mapping file, generated at build time: camelCase fields, comments and trailing commas allowed, an
/// unknown field an error, fields left out not written, indented.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ExportMapping))]
internal sealed partial class ExportMappingJsonContext : JsonSerializerContext;
