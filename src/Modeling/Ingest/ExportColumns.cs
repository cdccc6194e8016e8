using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>Where each semantic column of an export sits (0-based field indexes; -1 when absent), resolved from the header or the options.</summary>
internal sealed class ExportColumns
{
    // Header names recognised for each semantic column, compared after normalisation (lower case, no spaces, '_', '-' or '.').
    private static readonly string[] CustomerNames = ["customerid", "customer", "custid", "customerno", "customernumber", "userid", "clientid", "memberid", "buyerid", "accountid", "shopperid", "householdid", "household", "householdkey", "clientno", "email", "customeremail"];
    private static readonly string[] TimestampNames = ["invoicedate", "orderdate", "date", "timestamp", "datetime", "purchasedate", "transactiondate", "orderdatetime", "createdat", "orderedat", "time", "transactiontimestamp", "transactiontime", "orderdatetimeutc", "createddate"];
    private static readonly string[] AmountNames = ["amount", "revenue", "dollarvalue", "total", "totalamount", "ordertotal", "linetotal", "totalprice", "sales", "netsales", "spend", "value", "netamount", "grandtotal", "salesvalue", "salesamount", "linevalue", "orderamount"];
    private static readonly string[] OrderIdNames = ["invoiceno", "invoice", "invoiceid", "invoicenumber", "orderid", "orderno", "ordernumber", "transactionid", "receiptid", "basketid", "basket", "basketkey", "receiptno", "ticketid"];
    private static readonly string[] QuantityNames = ["quantity", "qty", "numberofcds", "items", "itemcount", "numberofitems", "units"];
    private static readonly string[] UnitPriceNames = ["unitprice", "price", "itemprice", "priceeach", "unitcost"];
    private static readonly string[] CurrencyNames = ["currency", "currencycode", "ordercurrency", "ordercurrencycode"];

    public required int FieldCount { get; init; }

    public required IReadOnlyList<string> Names { get; init; }

    public required int Customer { get; init; }

    public required int Timestamp { get; init; }

    public required int Amount { get; init; }

    public required int OrderId { get; init; }

    public required int Quantity { get; init; }

    public required int UnitPrice { get; init; }

    /// <summary>Refunded amount, subtracted from the row's amount; -1 when absent.</summary>
    public int Refund { get; init; } = -1;

    /// <summary>Currency code; -1 when absent.</summary>
    public int Currency { get; init; } = -1;

    /// <summary>Customer column read when <see cref="Customer"/> is blank; -1 when absent.</summary>
    public int CustomerFallback { get; init; } = -1;

    /// <summary>Columns whose listed values (lower case, UTF-8) mark a row as not revenue.</summary>
    public IReadOnlyList<(int Column, byte[][] Values)> Exclusions { get; init; } = [];

    /// <summary>The export profile the columns come from, or <see langword="null"/> for the common header names.</summary>
    public ExportProfile? Profile { get; init; }

    /// <summary>The profile's name, or <c>generic</c>.</summary>
    public string ProfileName => Profile?.Name ?? ExportProfiles.Generic;

    /// <summary>Row rules beyond plain columns (profiles, refunds, statuses, currency, id keying), set once the first rows are sampled; <see langword="null"/> when none apply.</summary>
    public RowRules? Rules { get; internal set; }

    /// <summary>Display name of field <paramref name="index"/>: its header name, or <c>column N</c>.</summary>
    public string Name(int index) => Names[index];

    /// <summary>Maps the columns of a header row (or of a header-less first row with <paramref name="fieldCount"/> fields).</summary>
    /// <exception cref="ExportFormatException">A required column cannot be found or a configured one does not exist.</exception>
    public static ExportColumns Resolve(string sourceName, IReadOnlyList<string>? header, int fieldCount, in ExportReaderOptions options)
    {
        var names = header ?? Enumerable.Range(1, fieldCount).Select(i => $"column {i}").ToArray();
        var flags = options.OptionNames ?? ExportOptionNames.Properties;
        ExportProfile? profile;
        try
        {
            profile = options.Profile is { } profileName ? ExportProfiles.Find(profileName) : header is null ? null : ExportProfiles.Detect(header);
        }
        catch (ArgumentException ex)
        {
            throw new ExportFormatException(sourceName, $"{ex.Message.Split(" (Parameter", 2)[0]} ({flags.Profile})");
        }

        var normalized = header?.Select(Normalize).ToArray();
        var found = header is null ? $"{fieldCount} columns, no header" : string.Join(", ", header.Select(h => $"'{h}'"));

        int Find(string? configured, string optionName, string semantic, string[] synonyms, string? profileColumn = null, bool profileRequired = true)
        {
            if (configured is null && profileColumn is not null && normalized is not null)
            {
                var index = Array.IndexOf(normalized, Normalize(profileColumn));
                if (index < 0 && profileRequired)
                {
                    throw new ExportFormatException(sourceName, $"the {profile!.Platform} has no '{profileColumn}' column ({semantic}); set {optionName}, or the profile with {flags.Profile}; columns found: {found}.");
                }

                return index;
            }

            if (configured is not null)
            {
                if (normalized is null)
                {
                    if (!int.TryParse(configured, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1 || number > fieldCount)
                    {
                        throw new ExportFormatException(sourceName, $"{optionName} '{configured}' must be a column number in 1..{fieldCount} for a file without a header (found {found}).");
                    }

                    return number - 1;
                }

                var index = Array.IndexOf(normalized, Normalize(configured));
                if (index < 0)
                {
                    throw new ExportFormatException(sourceName, $"the {semantic} column '{configured}' ({optionName}) is not in the header; columns found: {found}.");
                }

                return index;
            }

            if (normalized is null)
            {
                return -1;
            }

            foreach (var synonym in synonyms)
            {
                var index = Array.IndexOf(normalized, synonym);
                if (index >= 0)
                {
                    return index;
                }
            }

            return -1;
        }

        var customer = Find(options.CustomerIdColumn, flags.CustomerColumn, "customer id", CustomerNames, profile?.Customer);
        var timestamp = Find(options.TimestampColumn, flags.DateColumn, "timestamp", TimestampNames, profile?.Timestamp);
        var amount = Find(options.AmountColumn, flags.AmountColumn, "amount", AmountNames, profile?.Amount);
        var orderId = profile is null || options.OrderIdColumn is not null || profile.OrderId is null
            ? Find(options.OrderIdColumn, flags.OrderColumn, "order id", OrderIdNames)
            : Find(null, flags.OrderColumn, "order id", [], profile.OrderId, profileRequired: false);
        var quantity = profile is null || options.QuantityColumn is not null
            ? Find(options.QuantityColumn, flags.QuantityColumn, "quantity", QuantityNames)
            : Find(null, flags.QuantityColumn, "quantity", [], profile.Quantity ?? string.Empty, profileRequired: false);
        var unitPrice = amount >= 0 ? -1 : Find(options.UnitPriceColumn, flags.UnitPriceColumn, "unit price", UnitPriceNames);
        var refund = Find(options.RefundColumn, flags.RefundColumn, "refund", [], options.RefundColumn is null ? profile?.Refund : null, profileRequired: false);
        var currency = Find(options.CurrencyColumn, flags.CurrencyColumn, "currency", profile is null ? CurrencyNames : [], options.CurrencyColumn is null ? profile?.Currency : null, profileRequired: false);
        var fallback = profile?.CustomerFallback is { } fallbackName && options.CustomerIdColumn is null
            ? Find(null, flags.CustomerColumn, "customer id", [], fallbackName, profileRequired: false)
            : -1;
        var exclusions = new List<(int Column, byte[][] Values)>();
        if (options.StatusColumn is not null)
        {
            var values = options.NonRevenueStatuses ?? profile?.Exclusions?.SelectMany(r => r.Values).ToArray() ?? [];
            exclusions.Add((Find(options.StatusColumn, flags.StatusColumn, "status", []), Lower(values)));
        }
        else
        {
            foreach (var rule in profile?.Exclusions ?? [])
            {
                var column = Find(null, flags.StatusColumn, "status", [], rule.Column, profileRequired: false);
                if (column >= 0)
                {
                    exclusions.Add((column, Lower(options.NonRevenueStatuses is { } statuses && exclusions.Count == 0 ? statuses : rule.Values)));
                }
            }
        }

        var missing = new List<string>();
        if (customer < 0)
        {
            missing.Add($"customer id (one of {List(CustomerNames)}, or set {flags.CustomerColumn})");
        }

        if (timestamp < 0)
        {
            missing.Add($"timestamp (one of {List(TimestampNames)}, or set {flags.DateColumn})");
        }

        if (amount < 0 && (quantity < 0 || unitPrice < 0))
        {
            missing.Add($"amount (one of {List(AmountNames)}, or quantity x unit price: {List(QuantityNames)} with {List(UnitPriceNames)}; or set {flags.AmountColumn})");
        }

        if (missing.Count > 0)
        {
            throw new ExportFormatException(sourceName, $"cannot find the required column(s) {string.Join("; ", missing)}; columns found: {found}.");
        }

        return new ExportColumns
        {
            FieldCount = fieldCount,
            Names = names,
            Customer = customer,
            Timestamp = timestamp,
            Amount = amount,
            OrderId = orderId,
            Quantity = quantity,
            UnitPrice = unitPrice,
            Refund = refund,
            Currency = currency,
            CustomerFallback = fallback,
            Exclusions = exclusions,
            Profile = profile,
        };
    }

    private static string List(string[] names) => string.Join("/", names.Take(4));

    private static byte[][] Lower(IEnumerable<string> values) => [.. values.Select(v => Encoding.UTF8.GetBytes(v.Trim().ToLowerInvariant()))];

    /// <summary>A header name as compared: lower case, without spaces, <c>_</c>, <c>-</c> or <c>.</c>.</summary>
    internal static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            if (c is not (' ' or '_' or '-' or '.'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
