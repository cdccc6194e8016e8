using System.Globalization;
using System.Text;

namespace Clv.Benchmarks;

/// <summary>
/// Writes an export shaped like a shop's order-line export (the layout of the UCI Online Retail data):
/// <c>InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country</c>, one line per product
/// on an invoice. Descriptions are free text, some quoted because they hold commas, some with doubled quotes; about
/// a quarter of the invoices are guest orders without a customer id; cancelled invoices (<c>C</c> before the number)
/// repeat earlier lines with negative quantities. Deterministic by seed.
/// </summary>
internal static class RetailExportGenerator
{
    public const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    private static readonly string[] Words =
    [
        "WHITE", "HANGING", "HEART", "T-LIGHT", "HOLDER", "CREAM", "CUPID", "HEARTS", "COAT", "HANGER", "KNITTED",
        "UNION", "FLAG", "HOT", "WATER", "BOTTLE", "RED", "WOOLLY", "GLASS", "STAR", "FROSTED", "LANTERN", "SET",
        "OF", "6", "TEA", "TIME", "PAPER", "CHAIN", "KIT", "VINTAGE", "CHRISTMAS", "ALARM", "CLOCK", "BAKELIKE",
        "PINK", "GREEN", "IVORY", "JUMBO", "BAG", "RETROSPOT", "LUNCH", "BOX", "CERAMIC", "STORAGE", "JAR",
        "REGENCY", "CAKESTAND", "3", "TIER", "PARTY", "BUNTING", "ASSORTED", "COLOUR", "BIRD", "ORNAMENT",
    ];

    private static readonly string[] Countries =
    [
        "United Kingdom", "United Kingdom", "United Kingdom", "United Kingdom", "United Kingdom", "United Kingdom",
        "United Kingdom", "United Kingdom", "United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands",
        "Belgium", "Switzerland", "Portugal", "Australia", "\"Korea, Republic of\"",
    ];

    /// <summary>Writes about <paramref name="targetBytes"/> bytes to <paramref name="path"/>; returns (rows, guest rows, cancelled rows).</summary>
    public static (long Rows, long GuestRows, long CancelledRows) WriteFile(string path, long targetBytes, int seed)
    {
        var random = new Random(seed);
        var products = new (string StockCode, string Description, double Price)[4000];
        for (var p = 0; p < products.Length; p++)
        {
            products[p] = (StockCode(random, p), Description(random), Math.Round(Math.Exp(random.NextDouble() * 3.5 - 0.9), 2));
        }

        const int CustomerCount = 5000;
        var start = new DateTime(2009, 12, 1, 7, 0, 0, DateTimeKind.Unspecified);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine(Header);
        long rows = 0, guests = 0, cancelled = 0, invoice = 489_434;
        var time = start;
        long bytes = Header.Length + 1;
        while (bytes < targetBytes)
        {
            time = time.AddMinutes(random.Next(1, 12));
            if (time.Hour >= 20)
            {
                time = time.Date.AddDays(1).AddHours(7);
            }

            var guest = random.NextDouble() < 0.25;
            var customer = guest ? string.Empty : (12_346 + random.Next(CustomerCount)).ToString(CultureInfo.InvariantCulture);
            var country = Countries[random.Next(Countries.Length)];
            var cancel = !guest && random.NextDouble() < 0.03;
            var number = cancel ? "C" + invoice.ToString(CultureInfo.InvariantCulture) : invoice.ToString(CultureInfo.InvariantCulture);
            invoice++;
            var lines = 1 + (int)(random.NextDouble() * random.NextDouble() * 40);
            var stamp = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            for (var l = 0; l < lines; l++)
            {
                var product = products[(int)(products.Length * Math.Pow(random.NextDouble(), 2))];
                var quantity = 1 + (int)(Math.Pow(random.NextDouble(), 3) * 48);
                if (cancel)
                {
                    quantity = -quantity;
                    cancelled++;
                }

                if (guest)
                {
                    guests++;
                }

                var line = string.Join(
                    ',',
                    number,
                    product.StockCode,
                    product.Description,
                    quantity.ToString(CultureInfo.InvariantCulture),
                    stamp,
                    product.Price.ToString("0.00", CultureInfo.InvariantCulture),
                    customer,
                    country);
                writer.WriteLine(line);
                bytes += line.Length + 1;
                rows++;
            }

        }

        return (rows, guests, cancelled);
    }

    private static string StockCode(Random random, int index) =>
        (10_000 + index * 7 % 90_000).ToString(CultureInfo.InvariantCulture) + (random.NextDouble() < 0.2 ? ((char)('A' + random.Next(6))).ToString() : string.Empty);

    /// <summary>Three to seven words; one in six holds a comma (so it is quoted), one in thirty a quoted nickname (doubled quotes).</summary>
    private static string Description(Random random)
    {
        var builder = new StringBuilder();
        var count = 3 + random.Next(5);
        for (var w = 0; w < count; w++)
        {
            if (w > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Words[random.Next(Words.Length)]);
        }

        var kind = random.Next(30);
        if (kind == 0)
        {
            return "\"" + builder + " \"\"" + Words[random.Next(Words.Length)] + "\"\"\"";
        }

        if (kind < 5)
        {
            return "\"" + builder + ", " + Words[random.Next(Words.Length)] + "\"";
        }

        return builder.ToString();
    }
}
