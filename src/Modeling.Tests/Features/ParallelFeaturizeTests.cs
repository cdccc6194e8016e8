using System.Globalization;
using System.Text;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Tests.Ingest;
using Moq;

namespace Clv.Modeling.Tests.Features;

/// <summary>
/// Featurizing cuts the export into chunks parsed on several threads and aggregates customers in shards; none of that
/// may show in the result. Small chunks put chunk boundaries everywhere: inside quoted fields, inside CRLF pairs,
/// between the lines of a multi-line record.
/// </summary>
public class ParallelFeaturizeTests
{
    private static readonly int[] ChunkSizes = [7, 64, 301, 4096, 1 << 22];

    /// <summary>
    /// Orders with several lines, returns, quoted products with delimiters, doubled quotes and line breaks, ids of
    /// every length (some over 16 bytes sharing their first 16, some not ASCII), rows out of time order, and bad rows.
    /// </summary>
    internal static string HostileExport(int rows, int seed, string newline = "\n", bool lineBreaksInFields = true)
    {
        var random = new Random(seed);
        string[] prefixes = ["c", "customer-00000000000", "Ünïcødé-", "客户", "\uE000private", "😀", "Z"];
        string[] products = ["Vinyl", "\"Poster \"\"Blue Note\"\", framed\"", "\"two\nline\"", "\"a,b;c\"", "\"\"", "Tape", "\"\"\"quoted\"\"\""];
        var text = new StringBuilder("order_id,customer_id,order_date,product,quantity,amount" + newline);
        var day = new DateOnly(2023, 1, 1);
        for (var row = 0; row < rows; row++)
        {
            day = day.AddDays(random.Next(3) == 0 ? 1 : 0);
            var date = random.Next(20) == 0 ? day.AddDays(-random.Next(60)) : day;
            var customer = prefixes[random.Next(prefixes.Length)] + random.Next(40).ToString(CultureInfo.InvariantCulture);
            var order = "o" + random.Next(rows / 2).ToString(CultureInfo.InvariantCulture);
            var quantity = random.Next(1, 4);
            var amount = (random.Next(20) == 0 ? -1 : 1) * random.Next(1, 10_000) / 100.0;
            var product = products[random.Next(products.Length)];
            product = lineBreaksInFields ? product : product.Replace('\n', ' ');
            var line = $"{order},{customer},{date:yyyy-MM-dd}T{random.Next(24):00}:00:00,{product},{quantity},{amount.ToString(CultureInfo.InvariantCulture)}";
            line = random.Next(25) switch
            {
                0 => $"{order},,{date:yyyy-MM-dd},x,1,1",
                1 => $"{order},{customer},not-a-date,x,1,1",
                2 => $"{order},{customer},{date:yyyy-MM-dd},x,1,1.2.3",
                3 => $"{order},{customer},{date:yyyy-MM-dd},1,1",
                4 => string.Empty,
                _ => line,
            };
            text.Append(line).Append(newline);
        }

        return text.ToString();
    }

    private static (FeaturizeResult Result, RejectedRowList Rejected) Run(string text, int threads, int chunkBytes, BucketSize bucket = BucketSize.Week)
    {
        using var stream = ExportText.Stream(text);
        var rejected = new RejectedRowList();
        var options = new ExportReaderOptions { MaxRejectedShare = 0.5 };
        var result = ExportFeaturizer.Featurize(stream, "hostile.csv", options, bucket, rejected, threads, chunkBytes, TestContext.Current.CancellationToken);
        return (result, rejected);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void AnyThreadsAndChunks_GiveBitIdenticalPartialsAndTheSameRejectedRows(string newline)
    {
        var text = HostileExport(3000, seed: 11, newline);
        var (reference, referenceRejected) = Run(text, threads: 1, chunkBytes: 1 << 22);
        Assert.True(referenceRejected.Rows.Count > 100, "the export should reject rows");
        Assert.True(reference.Summary.Customers > 200, "the export should have many customers");

        foreach (var threads in new[] { 1, 2, 3, 4 })
        {
            foreach (var chunkBytes in ChunkSizes)
            {
                var (result, rejected) = Run(text, threads, chunkBytes);

                PartialsAssert.Identical(reference.Partials, result.Partials);
                Assert.Equal(referenceRejected.Rows, rejected.Rows);
                Assert.Equal(reference.Summary with { Elapsed = default, TotalSpend = 0 }, result.Summary with { Elapsed = default, TotalSpend = 0 });
                Assert.Equal(reference.Summary.TotalSpend, result.Summary.TotalSpend, 1e-6);
            }
        }
    }

    [Fact]
    public void TotalSpend_DoesNotDependOnTheNumberOfThreads()
    {
        var text = HostileExport(2000, seed: 5);

        var spends = new[] { 1, 2, 3, 8 }.Select(threads => Run(text, threads, chunkBytes: 500).Result.Summary.TotalSpend).Distinct();

        Assert.Single(spends);
    }

    [Fact]
    public void RejectedRows_KeepTheirLineNumbersAfterMultiLineRecords()
    {
        var text = "order_id,customer_id,order_date,product,quantity,amount\n"
            + "o1,c1,2024-01-01,\"first\nsecond\nthird\",1,5\n"
            + "o2,c2,bad-date,x,1,5\n"
            + "o3,c3,2024-01-02,\"x\r\ny\",1,5\n"
            + "o4,c4,2024-01-02,x,1,5e9\n";

        foreach (var chunkBytes in new[] { 3, 16, 50, 1 << 20 })
        {
            var (_, rejected) = Run(text, threads: 2, chunkBytes);

            Assert.Equal([5L, 8L], rejected.Rows.Select(r => r.LineNumber));
            Assert.Equal("o2,c2,bad-date,x,1,5", rejected.Rows[0].RawText);
        }
    }

    [Fact]
    public void CustomerIds_AreInOrdinalOrderWhateverTheirBytes()
    {
        var text = HostileExport(2000, seed: 3);

        var partials = Run(text, threads: 3, chunkBytes: 256).Result.Partials;

        // The public constructor checks (customer, bucket) order with string.CompareOrdinal and rejects repeats.
        var validated = new PartialAggregates(partials.Bucket, partials.CustomerIds, partials.BucketStarts, partials.NetSpend, partials.Orders, partials.Items, partials.Returns);
        Assert.Contains(validated.CustomerIds, id => id.StartsWith('\uE000'));
        Assert.Contains(validated.CustomerIds, id => id.StartsWith("😀", StringComparison.Ordinal));
        Assert.Contains(validated.CustomerIds, id => id.StartsWith("customer-00000000000", StringComparison.Ordinal) && id.Length > 21);
    }

    [Fact]
    public void LongIdsSharingTheirFirst16Bytes_AreSortedByTheWholeId()
    {
        var text = new StringBuilder("customer_id,date,amount\n");
        string[] ids = ["customer-0000000000000020", "customer-00000000000001", "customer-0000000000000003", "customer-0000000", "customer-00000000", "customer-000000000000000"];
        foreach (var id in ids)
        {
            text.Append(id).Append(",2024-01-01,1\n");
        }

        var partials = Run(text.ToString(), threads: 2, chunkBytes: 64).Result.Partials;

        Assert.Equal(ids.Order(StringComparer.Ordinal), partials.CustomerIds);
    }

    [Fact]
    public void RowsOutOfTimeOrder_LandInTheirCellsInBucketOrder()
    {
        var rows = HostileExport(1500, seed: 8, lineBreaksInFields: false).Split('\n');
        var body = rows[1..^1].ToArray();
        new Random(2).Shuffle(body);
        var shuffled = rows[0] + "\n" + string.Join('\n', body) + "\n";

        var inOrder = Run(string.Join('\n', rows), threads: 1, chunkBytes: 1 << 20, BucketSize.Day).Result.Partials;
        var outOfOrder = Run(shuffled, threads: 3, chunkBytes: 200, BucketSize.Day).Result.Partials;

        PartialsAssert.Equal(inOrder, outOfOrder);
    }

    [Fact]
    public void RecordLongerThanAChunk_IsReadWhole()
    {
        var product = "\"" + new string('x', 5000) + "\n" + new string('y', 5000) + "\"";
        var text = $"order_id,customer_id,order_date,product,quantity,amount\no1,c1,2024-01-01,{product},1,5\no2,c1,2024-01-02,x,1,6\n";

        var (result, rejected) = Run(text, threads: 2, chunkBytes: 100);

        Assert.Empty(rejected.Rows);
        Assert.Equal(2, result.Summary.Accepted);
        Assert.Equal(11.0, Assert.Single(result.Partials.NetSpend));
    }

    [Fact]
    public void QuoteNeverClosed_FailsWithTheLineWhereTheRecordStarts()
    {
        var text = "customer_id,date,amount\nc1,2024-01-01,1\nc2,2024-01-02,2\n\"c3,2024-01-03,3\nc4,2024-01-04,4\n";

        foreach (var chunkBytes in new[] { 5, 20, 1 << 20 })
        {
            var error = Assert.Throws<ExportFormatException>(() => Run(text, threads: 2, chunkBytes));

            Assert.Equal("hostile.csv: line 4: a quoted field is never closed (the file ends inside quotes).", error.Message);
        }
    }

    [Fact]
    public void Cancellation_StopsEveryThread()
    {
        var text = HostileExport(5000, seed: 1);
        using var stream = ExportText.Stream(text);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ExportFeaturizer.Featurize(stream, "hostile.csv", new ExportReaderOptions { MaxRejectedShare = 1 }, BucketSize.Week, null, threads: 4, chunkBytes: 100, cancellation.Token));
    }

    [Fact]
    public void FailingRejectedRowSink_StopsEveryThreadAndSurfaces()
    {
        var text = HostileExport(5000, seed: 2);
        using var stream = ExportText.Stream(text);
        var sink = new Mock<IRejectedRowSink>();
        sink.Setup(s => s.Add(It.IsAny<RejectedRow>())).Throws(new IOException("disk full"));

        var error = Assert.Throws<IOException>(() =>
            ExportFeaturizer.Featurize(stream, "hostile.csv", new ExportReaderOptions { MaxRejectedShare = 1 }, BucketSize.Week, sink.Object, threads: 3, chunkBytes: 200, TestContext.Current.CancellationToken));

        Assert.Equal("disk full", error.Message);
    }

    [Theory]
    [InlineData("a,b\n", 4, true, 4)]
    [InlineData("a,\"b\nc\"\n", 8, true, 8)]
    [InlineData("a,\"b\nc", 6, true, 0)]
    [InlineData("x\na,\"b\nc", 8, true, 2)]
    [InlineData("a,\"b\"\"\nc\"\nd", 11, true, 10)]
    [InlineData("a \"b\nc\"", 7, false, 5)]
    public void ChunkBoundary_IsTheLastLineBreakOutsideQuotes(string data, int length, bool quotesMatter, int expected)
    {
        Assert.Equal(length, data.Length);

        Assert.Equal(expected, ExportChunkReader.LastBoundary(Encoding.ASCII.GetBytes(data), quotesMatter));
    }
}
