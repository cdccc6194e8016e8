using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>Where each semantic column of an export sits (0-based field indexes; -1 when absent), resolved from the header or the options.</summary>
internal sealed class ExportColumns
{
    // Header names recognised for each semantic column, compared after normalisation (lower case, no spaces, '_', '-' or '.').
    private static readonly string[] CustomerNames = ["customerid", "customer", "custid", "customerno", "customernumber", "userid", "clientid", "memberid", "buyerid", "accountid", "shopperid"];
    private static readonly string[] TimestampNames = ["invoicedate", "orderdate", "date", "timestamp", "datetime", "purchasedate", "transactiondate", "orderdatetime", "createdat", "orderedat", "time"];
    private static readonly string[] AmountNames = ["amount", "revenue", "dollarvalue", "total", "totalamount", "ordertotal", "linetotal", "totalprice", "sales", "netsales", "spend", "value", "netamount", "grandtotal"];
    private static readonly string[] OrderIdNames = ["invoiceno", "invoice", "invoiceid", "invoicenumber", "orderid", "orderno", "ordernumber", "transactionid", "receiptid"];
    private static readonly string[] QuantityNames = ["quantity", "qty", "numberofcds", "items", "itemcount", "numberofitems", "units"];
    private static readonly string[] UnitPriceNames = ["unitprice", "price", "itemprice", "priceeach", "unitcost"];

    public required int FieldCount { get; init; }

    public required IReadOnlyList<string> Names { get; init; }

    public required int Customer { get; init; }

    public required int Timestamp { get; init; }

    public required int Amount { get; init; }

    public required int OrderId { get; init; }

    public required int Quantity { get; init; }

    public required int UnitPrice { get; init; }

    /// <summary>Display name of field <paramref name="index"/>: its header name, or <c>column N</c>.</summary>
    public string Name(int index) => Names[index];

    /// <summary>Maps the columns of a header row (or of a header-less first row with <paramref name="fieldCount"/> fields).</summary>
    /// <exception cref="ExportFormatException">A required column cannot be found or a configured one does not exist.</exception>
    public static ExportColumns Resolve(string sourceName, IReadOnlyList<string>? header, int fieldCount, in ExportReaderOptions options)
    {
        var names = header ?? Enumerable.Range(1, fieldCount).Select(i => $"column {i}").ToArray();
        var normalized = header?.Select(Normalize).ToArray();
        var found = header is null ? $"{fieldCount} columns, no header" : string.Join(", ", header.Select(h => $"'{h}'"));

        int Find(string? configured, string optionName, string semantic, string[] synonyms)
        {
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

        var customer = Find(options.CustomerIdColumn, nameof(options.CustomerIdColumn), "customer id", CustomerNames);
        var timestamp = Find(options.TimestampColumn, nameof(options.TimestampColumn), "timestamp", TimestampNames);
        var amount = Find(options.AmountColumn, nameof(options.AmountColumn), "amount", AmountNames);
        var orderId = Find(options.OrderIdColumn, nameof(options.OrderIdColumn), "order id", OrderIdNames);
        var quantity = Find(options.QuantityColumn, nameof(options.QuantityColumn), "quantity", QuantityNames);
        var unitPrice = amount >= 0 ? -1 : Find(options.UnitPriceColumn, nameof(options.UnitPriceColumn), "unit price", UnitPriceNames);

        var missing = new List<string>();
        if (customer < 0)
        {
            missing.Add($"customer id (one of {List(CustomerNames)}, or set {nameof(options.CustomerIdColumn)})");
        }

        if (timestamp < 0)
        {
            missing.Add($"timestamp (one of {List(TimestampNames)}, or set {nameof(options.TimestampColumn)})");
        }

        if (amount < 0 && (quantity < 0 || unitPrice < 0))
        {
            missing.Add($"amount (one of {List(AmountNames)}, or quantity x unit price: {List(QuantityNames)} with {List(UnitPriceNames)}; or set {nameof(options.AmountColumn)})");
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
        };
    }

    private static string List(string[] names) => string.Join("/", names.Take(4));

    private static string Normalize(string name)
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
