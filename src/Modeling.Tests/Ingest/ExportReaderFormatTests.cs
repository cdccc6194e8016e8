using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Ingest;

public class ExportReaderFormatTests
{
    private static readonly Transaction First = new("c1", new DateTime(2024, 3, 5), 12.5, "o1", 2);
    private static readonly Transaction Second = new("c2", new DateTime(2024, 3, 6), -3.25, "o2", 1);

    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData("\t")]
    [InlineData("|")]
    public void Delimiter_IsDetectedOrConfigured(string delimiter)
    {
        var text = string.Join(delimiter, "customer_id", "order_date", "order_id", "quantity", "amount") + "\n"
            + string.Join(delimiter, "c1", "2024-03-05", "o1", "2", "12.5") + "\n"
            + string.Join(delimiter, "c2", "2024-03-06", "o2", "1", "-3.25") + "\n";
        var options = delimiter == "|" ? new ExportReaderOptions { Delimiter = '|' } : new ExportReaderOptions();

        var transactions = ExportText.Read(text, options);

        Assert.Equal([First, Second], transactions);
    }

    [Fact]
    public void RunsOfWhitespace_AreOneDelimiter()
    {
        var text = "  customer_id   order_date order_id quantity   amount\r\n  c1  20240305 o1 2   12.50\r\n c2 20240306\t\to2 1 -3.25\r\n";

        var transactions = ExportText.Read(text);

        Assert.Equal([First, Second], transactions);
    }

    [Fact]
    public void QuotedFields_KeepDelimitersQuotesAndNewlines()
    {
        var text = "customer_id,description,order_date,amount\n"
            + "\"c,1\",\"a \"\"big\"\" box, red\",2024-03-05,\"12.50\"\n"
            + "c2,\"two\nlines\",2024-03-06,1\n"
            + "c3,plain,2024-03-07,2\n";

        var transactions = ExportText.Read(text);

        Assert.Equal(["c,1", "c2", "c3"], transactions.Select(t => t.CustomerId));
        Assert.Equal([12.5, 1, 2], transactions.Select(t => t.Amount));
    }

    [Fact]
    public void QuotedNewlines_KeepLineNumbersOfLaterRowsRight()
    {
        var text = "customer_id,description,order_date,amount\n"
            + "c1,\"one\ntwo\nthree\",2024-03-05,1\n"
            + "c2,x,not-a-date,1\n";
        var rejected = new RejectedRowList();

        ExportText.Read(text, new ExportReaderOptions { MaxRejectedShare = 1 }, rejected);

        Assert.Equal(5, Assert.Single(rejected.Rows).LineNumber);
    }

    [Fact]
    public void ByteOrderMarkAndCrLf_AreIgnored()
    {
        using var stream = ExportText.Stream("customer_id,order_date,amount\r\nc1,2024-03-05,12.5\r\nc2,2024-03-06,-3.25\r\n", bom: true);

        var transactions = ExportReader.ReadTransactions(stream, "bom.csv", new ExportReaderOptions(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["c1", "c2"], transactions.Select(t => t.CustomerId));
        Assert.Equal([12.5, -3.25], transactions.Select(t => t.Amount));
    }

    [Fact]
    public void GzipInput_IsDetectedByMagicBytes()
    {
        const string text = "customer_id,order_date,order_id,quantity,amount\nc1,2024-03-05,o1,2,12.5\nc2,2024-03-06,o2,1,-3.25\n";
        using var gzip = ExportText.Gzip(text);

        var transactions = ExportReader.ReadTransactions(gzip, "export.csv.gz", new ExportReaderOptions(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExportText.Read(text), transactions);
    }

    [Fact]
    public void OnlineRetailHeaders_MapWithAmountFromQuantityTimesUnitPrice()
    {
        var text = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
            + "C536379,D,Discount,-1,12/1/2010 9:41,27.50,14527,United Kingdom\n"
            + "536370,22728,ALARM CLOCK BAKELIKE PINK,24,12/13/2010 2:45 PM,3.75,12583,France\n";

        var transactions = ExportText.Read(text);

        Assert.Equal(new Transaction("17850", new DateTime(2010, 12, 1, 8, 26, 0), 6 * 2.55, "536365", 6), transactions[0]);
        Assert.Equal(-27.5, transactions[1].Amount);
        Assert.Equal(new DateTime(2010, 12, 13, 14, 45, 0), transactions[2].Timestamp);
    }

    [Theory]
    [InlineData("19970105", "yyyyMMdd", 1997, 1, 5, 0)]
    [InlineData("1997-01-05", "yyyy-MM-dd", 1997, 1, 5, 0)]
    [InlineData("1997-01-05T10:20:30", "yyyy-MM-dd", 1997, 1, 5, 37230)]
    [InlineData("1997-01-05 10:20:30.125Z", "yyyy-MM-dd", 1997, 1, 5, 37230)]
    [InlineData("1997-01-05T23:30:00-05:00", "yyyy-MM-dd", 1997, 1, 6, 16200)]
    [InlineData("1997-01-05T01:00:00+0200", "yyyy-MM-dd", 1997, 1, 4, 82800)]
    [InlineData("1997/1/5", "yyyy/M/d", 1997, 1, 5, 0)]
    [InlineData("1/5/1997 8:26", "M/d/yyyy", 1997, 1, 5, 30360)]
    [InlineData("12/5/1997 12:05 AM", "M/d/yyyy", 1997, 12, 5, 300)]
    [InlineData("5/1/1997", "d/M/yyyy", 1997, 1, 5, 0)]
    [InlineData("05.01.1997 17:00", "d.M.yyyy", 1997, 1, 5, 61200)]
    public void DateFormats_ParseToUtcDayAndTime(string value, string format, int year, int month, int day, int secondOfDay)
    {
        var text = $"customer_id;order_date;amount\nc1;{value};1\n";

        var transaction = Assert.Single(ExportText.Read(text, new ExportReaderOptions { DateFormat = format }));

        Assert.Equal(new DateTime(year, month, day).AddSeconds(secondOfDay), transaction.Timestamp);
    }

    [Fact]
    public void DayFirstDates_AreDetectedFromADayAboveTwelve()
    {
        var text = "customer_id,order_date,amount\nc1,5/1/2024,1\nc1,25/1/2024,1\n";

        var transactions = ExportText.Read(text);

        Assert.Equal([new DateTime(2024, 1, 5), new DateTime(2024, 1, 25)], transactions.Select(t => t.Timestamp));
    }

    [Fact]
    public void DecimalComma_ReadsCommaAsDecimalSeparator()
    {
        var text = "Kunde;Datum;Betrag\nk1;05.03.2024;12,50\nk2;06.03.2024;-3,25\n";
        var options = new ExportReaderOptions { DecimalComma = true, CustomerIdColumn = "Kunde", TimestampColumn = "Datum", AmountColumn = "Betrag" };

        var transactions = ExportText.Read(text, options);

        Assert.Equal([12.5, -3.25], transactions.Select(t => t.Amount));
        Assert.Equal(new DateTime(2024, 3, 5), transactions[0].Timestamp);
    }

    [Fact]
    public void ConfiguredColumnNames_MatchIgnoringCaseSpacesAndUnderscores()
    {
        var text = "Client Ref,When,Paid\nc1,2024-03-05,7\n";
        var options = new ExportReaderOptions { CustomerIdColumn = "client_ref", TimestampColumn = "WHEN", AmountColumn = "paid" };

        var transaction = Assert.Single(ExportText.Read(text, options));

        Assert.Equal(new Transaction("c1", new DateTime(2024, 3, 5), 7), transaction);
    }

    [Fact]
    public void BlankLines_AreSkippedWithoutCounting()
    {
        var text = "\ncustomer_id,order_date,amount\n\nc1,2024-03-05,1\n   \nc2,2024-03-06,2";
        var rejected = new RejectedRowList();

        var transactions = ExportText.Read(text, rejected: rejected);

        Assert.Equal(2, transactions.Count);
        Assert.Empty(rejected.Rows);
    }

    [Theory]
    [InlineData("12.5", 12.5)]
    [InlineData("-0.01", -0.01)]
    [InlineData("+3", 3)]
    [InlineData(".5", 0.5)]
    [InlineData("1e3", 1000)]
    [InlineData("123456789012345.678", 123456789012345.678)]
    [InlineData("0.1234567890123456789", 0.1234567890123456789)]
    public void Amounts_ParseExactlyAsDoubleParseDoes(string text, double expected)
    {
        var transaction = Assert.Single(ExportText.Read($"customer_id,order_date,amount\nc1,2024-03-05,{text}\n", new ExportReaderOptions { MaxAmount = 1e15 }));

        Assert.Equal(expected, transaction.Amount);
    }

    [Fact]
    public void DefaultOptions_EqualNewOptions()
    {
        Assert.Equal(new ExportReaderOptions(), default);
        Assert.True(default(ExportReaderOptions).HasHeader);
        Assert.Equal(ExportReaderOptions.DefaultMaxRejectedShare, default(ExportReaderOptions).MaxRejectedShare);
    }
}
