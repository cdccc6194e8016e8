namespace Clv.Modeling.Ingest;

/// <summary>How a host names the export options in messages: the tool's flags, or the mapping file's fields in Azure.</summary>
/// <param name="CustomerColumn">Names <see cref="ExportReaderOptions.CustomerIdColumn"/>.</param>
/// <param name="DateColumn">Names <see cref="ExportReaderOptions.TimestampColumn"/>.</param>
/// <param name="AmountColumn">Names <see cref="ExportReaderOptions.AmountColumn"/>.</param>
/// <param name="OrderColumn">Names <see cref="ExportReaderOptions.OrderIdColumn"/>.</param>
/// <param name="QuantityColumn">Names <see cref="ExportReaderOptions.QuantityColumn"/>.</param>
/// <param name="UnitPriceColumn">Names <see cref="ExportReaderOptions.UnitPriceColumn"/>.</param>
/// <param name="RefundColumn">Names <see cref="ExportReaderOptions.RefundColumn"/>.</param>
/// <param name="CurrencyColumn">Names <see cref="ExportReaderOptions.CurrencyColumn"/>.</param>
/// <param name="StatusColumn">Names <see cref="ExportReaderOptions.StatusColumn"/>.</param>
/// <param name="DateFormat">Names <see cref="ExportReaderOptions.DateFormat"/>.</param>
/// <param name="Currency">Names <see cref="ExportReaderOptions.Currency"/>.</param>
/// <param name="CurrencyRates">Names <see cref="ExportReaderOptions.CurrencyRates"/>.</param>
/// <param name="IdKey">Names the secret of <see cref="ExportReaderOptions.CustomerIdHasher"/>.</param>
/// <param name="Profile">Names <see cref="ExportReaderOptions.Profile"/>.</param>
/// <param name="MaxRejectedShare">Names <see cref="ExportReaderOptions.MaxRejectedShare"/>.</param>
public sealed record ExportOptionNames(
    string CustomerColumn,
    string DateColumn,
    string AmountColumn,
    string OrderColumn,
    string QuantityColumn,
    string UnitPriceColumn,
    string RefundColumn,
    string CurrencyColumn,
    string StatusColumn,
    string DateFormat,
    string Currency,
    string CurrencyRates,
    string IdKey,
    string Profile,
    string MaxRejectedShare)
{
    /// <summary>The property names of <see cref="ExportReaderOptions"/>.</summary>
    public static ExportOptionNames Properties { get; } = new(
        nameof(ExportReaderOptions.CustomerIdColumn),
        nameof(ExportReaderOptions.TimestampColumn),
        nameof(ExportReaderOptions.AmountColumn),
        nameof(ExportReaderOptions.OrderIdColumn),
        nameof(ExportReaderOptions.QuantityColumn),
        nameof(ExportReaderOptions.UnitPriceColumn),
        nameof(ExportReaderOptions.RefundColumn),
        nameof(ExportReaderOptions.CurrencyColumn),
        nameof(ExportReaderOptions.StatusColumn),
        nameof(ExportReaderOptions.DateFormat),
        nameof(ExportReaderOptions.Currency),
        nameof(ExportReaderOptions.CurrencyRates),
        nameof(ExportReaderOptions.CustomerIdHasher),
        nameof(ExportReaderOptions.Profile),
        nameof(ExportReaderOptions.MaxRejectedShare));

    /// <summary>The fields of a mapping file (<see cref="ExportMapping"/>), as a sidecar <c>{name}.mapping.json</c> beside the export.</summary>
    public static ExportOptionNames MappingFile { get; } = new(
        "\"customerColumn\" in the mapping file",
        "\"dateColumn\" in the mapping file",
        "\"amountColumn\" in the mapping file",
        "\"orderColumn\" in the mapping file",
        "\"quantityColumn\" in the mapping file",
        "\"unitPriceColumn\" in the mapping file",
        "\"refundColumn\" in the mapping file",
        "\"currencyColumn\" in the mapping file",
        "\"statusColumn\" in the mapping file",
        "\"dateFormat\" in the mapping file",
        "\"currency\" in the mapping file or Clv:Ingest:Currency",
        "\"currencyRates\" in the mapping file",
        "Clv:Ingest:CustomerIdKey",
        "\"profile\" in the mapping file",
        "Clv:Ingest:RejectedShareThreshold");
}
