using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Ingest;

/// <summary>The hostile corpus: every row rule and every file-level failure, with the message a user sees.</summary>
public class ExportReaderRejectionTests
{
    private const string Header = "order_id,customer_id,order_date,quantity,unit_price,note";

    private static readonly ExportReaderOptions Lenient = new() { MaxRejectedShare = 1, IngestedAt = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero) };

    public static TheoryData<string, string> BadRows => new()
    {
        { "o9,c9,2024-03-05,1,2.00", "expected 6 fields, found 5" },
        { "o9,c9,2024-03-05,1,2.00,x,extra", "expected 6 fields, found 7" },
        { "o9,c\u00019,2024-03-05,1,2.00,x", "customer id 'c\u00019' in column 'customer_id' holds control characters" },
        { "o9,c\u00859,2024-03-05,1,2.00,x", "customer id 'c\u00859' in column 'customer_id' holds control characters" },
        { $"o9,{new string('c', 257)},2024-03-05,1,2.00,x", $"customer id '{new string('c', 60)}...' in column 'customer_id' is 257 bytes long, over the limit of 256 bytes" },
        { "o9,c9,1969-12-31,1,2.00,x", "date '1969-12-31' in column 'order_date' is before 1970-01-01" },
        { "o9,c9,2099-01-05,1,2.00,x", "date '2099-01-05' in column 'order_date' is after the time of ingestion (the latest date accepted is 2024-06-02, a day after it)" },
        { "o9,c9,9999-12-31,1,2.00,x", "date '9999-12-31' in column 'order_date' is after the time of ingestion (the latest date accepted is 2024-06-02, a day after it)" },
        { "o9,c9,2024-03-05,1e10,2.00,x", "quantity '1e10' in column 'quantity' is beyond the limit of 1000000000 (MaxAmount)" },
        { "o9,c9,2024-03-05,1000,2e6,x", "quantity x unit price (1000 x '2e6' in column 'unit_price') is beyond the limit of 1000000000 (MaxAmount)" },
        { "o9,c9,2024-03-05,1e9,1e300,x", "quantity x unit price (1000000000 x '1e300' in column 'unit_price') is beyond the limit of 1000000000 (MaxAmount)" },
        { "o9,c9,2024-03-05,1,NaN,x", "unparseable unit price 'NaN' in column 'unit_price'" },
        { "o9,c9,2024-03-05,1,Infinity,x", "unparseable unit price 'Infinity' in column 'unit_price'" },
        { "o9,c9,2024-02-30,1,2.00,x", "unparseable date '2024-02-30' in column 'order_date' (expected yyyy-MM-dd)" },
        { "o9,c9,yesterday,1,2.00,x", "unparseable date 'yesterday' in column 'order_date' (expected yyyy-MM-dd)" },
        { "o9,c9,2024-03-05,one,2.00,x", "unparseable quantity 'one' in column 'quantity'" },
        { "o9,c9,2024-03-05,,2.00,x", "missing quantity in column 'quantity' (needed for quantity x unit price)" },
        { "o9,c9,2024-03-05,1,$2.00,x", "unparseable unit price '$2.00' in column 'unit_price'" },
        { "o9,c9,2024-03-05,1,N/A,x", "unparseable unit price 'N/A' in column 'unit_price'" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void BadRow_IsRejectedWithLineReasonAndRawText(string badRow, string reason)
    {
        var text = $"{Header}\no1,c1,2024-03-04,2,5.00,a\n{badRow}\no2,c2,2024-03-06,1,1.50,b\n";
        var rejected = new RejectedRowList();

        var transactions = ExportText.Read(text, Lenient, rejected);

        Assert.Equal(new RejectedRow(3, reason, badRow), Assert.Single(rejected.Rows));
        Assert.Equal(["c1", "c2"], transactions.Select(t => t.CustomerId));
        Assert.Equal([10.0, 1.5], transactions.Select(t => t.Amount));
    }

    [Fact]
    public void CustomerIdNotUtf8_IsRejectedSoThatNoTwoIdsBecomeOne()
    {
        // "Müller" in Latin-1 (0xFC for the ü): decoded, it would be "M\uFFFDller", like any other id with one bad byte there.
        byte[] bytes = [.. "customer_id,order_date,amount\nc1,2024-03-05,1\n"u8, 0x4D, 0xFC, .. "ller,2024-03-05,2\n"u8];
        var rejected = new RejectedRowList();

        using var stream = new MemoryStream(bytes);
        var transactions = ExportReader.ReadTransactions(stream, "latin1.csv", Lenient, rejected, TestContext.Current.CancellationToken);

        var row = Assert.Single(rejected.Rows);
        Assert.Equal(3, row.LineNumber);
        Assert.Equal("customer id in column 'customer_id' is not valid UTF-8 (save the export as UTF-8)", row.Reason);
        Assert.Equal("M\uFFFDller,2024-03-05,2", row.RawText);
        Assert.Equal(["c1"], transactions.Select(t => t.CustomerId));
    }

    [Fact]
    public void UnparseableAmount_IsRejectedNamingTheColumn()
    {
        var rejected = new RejectedRowList();

        ExportText.Read("customer_id,order_date,amount\nc1,2024-03-05,12.5.1\nc1,2024-03-05,1\n", Lenient, rejected);

        Assert.Equal("unparseable amount '12.5.1' in column 'amount'", Assert.Single(rejected.Rows).Reason);
    }

    [Fact]
    public void HostileCorpus_KeepsEveryGoodRowAndRejectsEveryBadOne()
    {
        var good = Enumerable.Range(0, 40).Select(i => $"o{i},c{i % 7},2024-03-{1 + (i % 28):00},{1 + (i % 3)},{i}.25,\"note, {i}\"").ToList();
        var bad = BadRows.Select(row => (string)row.Data.Item1).ToList();
        var lines = new List<string> { Header };
        for (var i = 0; i < good.Count; i++)
        {
            lines.Add(good[i]);
            if (i % 2 == 0 && i / 2 < bad.Count)
            {
                lines.Add(bad[i / 2]);
            }
        }

        var rejected = new RejectedRowList();
        using var stream = ExportText.Stream(string.Join("\r\n", lines));
        var result = ExportFeaturizer.Featurize(stream, "hostile.csv", Lenient, BucketSize.Week, rejected, TestContext.Current.CancellationToken);

        Assert.Equal(good.Count + bad.Count, result.Summary.Rows);
        Assert.Equal(good.Count, result.Summary.Accepted);
        Assert.Equal(bad, rejected.Rows.Select(r => r.RawText));
        var expectedSpend = Enumerable.Range(0, 40).Sum(i => (1 + (i % 3)) * (i + 0.25));
        Assert.Equal(expectedSpend, result.Summary.TotalSpend, 1e-9);
        Assert.Equal(40, result.Partials.Orders.Sum());
    }

    [Fact]
    public void RejectedShareOverThreshold_FailsTheFileNamingCountsAndFirstRejection()
    {
        var text = $"{Header}\no1,c1,2024-03-04,2,5.00,a\no2,c2,2024-02-30,2,5.00,a\no3,c3,2024-03-04,2,5.00,a\n";

        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read(text));

        Assert.Equal(
            "export.csv: 1 of 3 rows rejected (33.3%), over the 20% threshold (MaxRejectedShare); first: line 3: unparseable date '2024-02-30' in column 'order_date' (expected yyyy-MM-dd). "
            + "Columns found: 'order_id', 'customer_id', 'order_date', 'quantity', 'unit_price', 'note'.",
            error.Message);
        Assert.Equal(ExportFormatError.TooManyRejectedRows, error.Error);
    }

    [Fact]
    public void RejectedShareAtThreshold_Passes()
    {
        var rows = Enumerable.Range(0, 4).Select(i => $"o{i},c{i},2024-03-04,1,1.00,a").Append("o9,c9,2024-02-30,1,1.00,a");
        var rejected = new RejectedRowList();

        var transactions = ExportText.Read($"{Header}\n{string.Join("\n", rows)}\n", rejected: rejected);

        Assert.Equal(4, transactions.Count);
        Assert.Single(rejected.Rows);
    }

    [Fact]
    public void EmptyFile_Fails()
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("\n\n"));

        Assert.Equal("export.csv: the file is empty; expected a header row naming the columns (customer id, timestamp, amount).", error.Message);
    }

    [Fact]
    public void MissingRequiredColumns_FailNamingColumnsFoundAndExpected()
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("who,when,sku\nc1,2024-03-05,x\n"));

        Assert.Equal(ExportFormatError.Layout, error.Error);
        Assert.StartsWith("export.csv: cannot find the required column(s) customer id (one of customerid/customer/custid/customerno, or set CustomerIdColumn); timestamp", error.Message, StringComparison.Ordinal);
        Assert.Contains("amount (one of amount/revenue/dollarvalue/total, or quantity x unit price", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("columns found: 'who', 'when', 'sku'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredColumnNotInHeader_FailsNamingIt()
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("customer_id,order_date,amount\nc1,2024-03-05,1\n", new ExportReaderOptions { AmountColumn = "revenue" }));

        Assert.Equal("export.csv: the amount column 'revenue' (AmountColumn) is not in the header; columns found: 'customer_id', 'order_date', 'amount'.", error.Message);
    }

    [Fact]
    public void HeaderlessFileWithoutColumnNumbers_Fails()
    {
        var options = new ExportReaderOptions { HasHeader = false, CustomerIdColumn = "1", TimestampColumn = "9" };

        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("c1 19970101 1 2.00\n", options));

        Assert.Equal("export.csv: TimestampColumn '9' must be a column number in 1..4 for a file without a header (found 4 columns, no header).", error.Message);
    }

    [Fact]
    public void UnrecognisableDates_FailTheFileWithExamples()
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("customer_id,date,amount\nc1,March 5th,1\nc2,March 6th,1\n"));

        Assert.Equal(
            "export.csv: cannot recognise the dates in column 'date' (values like 'March 5th', 'March 6th'); expected one of yyyyMMdd, yyyy-MM-dd, yyyy/M/d, M/d/yyyy, d/M/yyyy, d.M.yyyy, MMM d, yyyy (set DateFormat).",
            error.Message);
    }

    [Fact]
    public void AmbiguousDayMonthOrder_FailsUntilDateFormatIsSet()
    {
        const string text = "customer_id,date,amount\nc1,1/2/2024,1\nc2,3/4/2024,1\n";

        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read(text));
        var dayFirst = ExportText.Read(text, new ExportReaderOptions { DateFormat = "d/M/yyyy" });

        Assert.Equal("export.csv: the dates in column 'date' (values like '1/2/2024', '3/4/2024') could be month-first or day-first; set DateFormat to 'M/d/yyyy' or 'd/M/yyyy'.", error.Message);
        Assert.Equal(new DateTime(2024, 2, 1), dayFirst[0].Timestamp);
    }

    [Fact]
    public void UnsupportedDateFormatOption_FailsListingTheSupportedOnes()
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("customer_id,date,amount\nc1,2024-01-01,1\n", new ExportReaderOptions { DateFormat = "dd MMM yyyy" }));

        Assert.Equal("export.csv: DateFormat 'dd MMM yyyy' is not supported; expected one of yyyyMMdd, yyyy-MM-dd, yyyy/M/d, M/d/yyyy, d/M/yyyy, d.M.yyyy, MMM d, yyyy.", error.Message);
    }

    [Fact]
    public void QuoteNeverClosed_FailsTheFileNamingTheLine()
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportText.Read("customer_id,date,amount\nc1,2024-01-01,1\nc2,\"2024-01-02,1\nc3,2024-01-03,1\n"));

        Assert.Equal("export.csv: line 3: a quoted field is never closed (the file ends inside quotes).", error.Message);
    }
}
