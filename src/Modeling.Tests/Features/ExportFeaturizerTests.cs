using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Tests.Ingest;

namespace Clv.Modeling.Tests.Features;

public class ExportFeaturizerTests
{
    private const string Header = "order_id,customer_id,order_date,quantity,amount\n";
    private const string PartA = "o1,c1,2024-03-04,1,10\no1,c1,2024-03-04,2,5\no2,c1,2024-03-06,1,7\no3,c2,2024-03-10,1,3\n";
    private const string PartB = "o4,c1,2024-03-05,1,1\nr1,c1,2024-03-07,-1,-4\no5,c3,2024-04-01,3,30\n";
    private const string PartC = "o6,c2,2024-03-11,1,8\no7,c1,2024-05-31,1,2\n";

    private static PartialAggregates Featurize(string text, BucketSize bucket = BucketSize.Week, bool gzip = false)
    {
        using var stream = gzip ? ExportText.Gzip(text) : ExportText.Stream(text);
        return ExportFeaturizer.Featurize(stream, "part.csv", new ExportReaderOptions(), bucket, null, TestContext.Current.CancellationToken).Partials;
    }

    [Fact]
    public void WeekCells_SumSpendCountDistinctOrdersItemsAndReturns()
    {
        var partials = Featurize(Header + PartA + PartB);

        Assert.Equal(["c1", "c2", "c3"], partials.CustomerIds);
        Assert.Equal([new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 4), new DateOnly(2024, 4, 1)], partials.BucketStarts);
        Assert.Equal([19.0, 3, 30], partials.NetSpend);
        Assert.Equal([3, 1, 1], partials.Orders);
        Assert.Equal([4.0, 1, 3], partials.Items);
        Assert.Equal([1, 0, 0], partials.Returns);
    }

    [Fact]
    public void DayAndMonthBuckets_StartOnTheirFirstDay()
    {
        var days = Featurize(Header + PartA, BucketSize.Day);
        var months = Featurize(Header + PartC, BucketSize.Month);

        Assert.Equal([new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 6), new DateOnly(2024, 3, 10)], days.BucketStarts);
        Assert.Equal([new DateOnly(2024, 5, 1), new DateOnly(2024, 3, 1)], months.BucketStarts);
    }

    [Fact]
    public void WithoutOrderIds_EachCustomerDayIsOneOrder()
    {
        var partials = Featurize("customer_id,date,amount\nc1,2024-03-04,1\nc1,2024-03-04T18:00,2\nc1,2024-03-05,3\nc1,2024-03-04,4\n");

        Assert.Equal(2, Assert.Single(partials.Orders));
        Assert.Equal(10.0, Assert.Single(partials.NetSpend));
    }

    [Fact]
    public void SeparateFilesMerged_EqualTheirConcatenation()
    {
        var merged = PartialAggregates.Merge([Featurize(Header + PartA), Featurize(Header + PartB), Featurize(Header + PartC)]);

        PartialsAssert.Equal(Featurize(Header + PartA + PartB + PartC), merged);
    }

    [Fact]
    public void FileOrder_DoesNotMatter()
    {
        var forward = PartialAggregates.Merge([Featurize(Header + PartA), Featurize(Header + PartB), Featurize(Header + PartC)]);
        var backward = PartialAggregates.Merge([Featurize(Header + PartC), Featurize(Header + PartB), Featurize(Header + PartA)]);

        PartialsAssert.Equal(forward, backward);
    }

    [Fact]
    public void RowOrderWithinAFile_DoesNotMatter()
    {
        var rows = (PartA + PartB + PartC).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var shuffled = rows.ToArray();
        new Random(3).Shuffle(shuffled);

        var sorted = Featurize(Header + string.Join('\n', rows), BucketSize.Day);

        PartialsAssert.Equal(sorted, Featurize(Header + string.Join('\n', rows.Reverse()), BucketSize.Day));
        PartialsAssert.Equal(sorted, Featurize(Header + string.Join('\n', shuffled), BucketSize.Day));
    }

    [Fact]
    public void Gzip_EqualsPlain()
    {
        PartialsAssert.Equal(Featurize(Header + PartA + PartB), Featurize(Header + PartA + PartB, gzip: true));
    }

    [Fact]
    public void Merge_RejectsDifferentBucketSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => PartialAggregates.Merge([Featurize(Header + PartA), Featurize(Header + PartB, BucketSize.Day)]));

        Assert.StartsWith("Cannot merge day partials with week partials.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_RoundTripsEveryColumnAndTheBucket()
    {
        var partials = Featurize(Header + PartA + PartB + PartC, BucketSize.Month);
        using var stream = new MemoryStream();

        await partials.WriteParquetAsync(stream, TestContext.Current.CancellationToken);
        stream.Position = 0;
        var read = await PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken);

        PartialsAssert.Equal(partials, read);
    }

    [Fact]
    public async Task Parquet_InSeveralRowGroups_RoundTrips()
    {
        var partials = Featurize(Header + PartA + PartB + PartC, BucketSize.Day);
        using var stream = new MemoryStream();

        await partials.WriteParquetAsync(stream, rowGroupRows: 2, TestContext.Current.CancellationToken);
        stream.Position = 0;
        await using (var reader = await Parquet.ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal((partials.Count + 1) / 2, reader.RowGroupCount);
        }

        stream.Position = 0;
        var read = await PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken);

        PartialsAssert.Equal(partials, read);
    }

    [Fact]
    public async Task Parquet_HasFlatNamedColumnsForOtherTools()
    {
        var partials = Featurize(Header + PartA);
        using var stream = new MemoryStream();
        await partials.WriteParquetAsync(stream, TestContext.Current.CancellationToken);
        stream.Position = 0;

        await using var reader = await Parquet.ParquetReader.CreateAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["customer_id", "bucket_start", "net_spend", "orders", "items", "returns"], reader.Schema.GetDataFields().Select(f => f.Name));
        Assert.Equal("week", reader.CustomMetadata[PartialAggregates.BucketMetadataKey]);
    }

    [Fact]
    public async Task Parquet_FromAnotherWriter_IsSortedAndSummedIntoCells()
    {
        // Two row groups, rows out of order, one cell split over two rows, a start that is not the week's Monday.
        var customer = new Parquet.Schema.DataField<string>("customer_id");
        var start = new Parquet.Schema.DataField<DateOnly>("bucket_start");
        var spend = new Parquet.Schema.DataField<double>("net_spend");
        var orders = new Parquet.Schema.DataField<int>("orders");
        var items = new Parquet.Schema.DataField<double>("items");
        var returns = new Parquet.Schema.DataField<int>("returns");
        using var stream = new MemoryStream();
        var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(customer, start, spend, orders, items, returns), stream, cancellationToken: TestContext.Current.CancellationToken);
        await using (writer)
        {
            writer.CustomMetadata = new Dictionary<string, string> { [PartialAggregates.BucketMetadataKey] = "week" };
            foreach (var (ids, starts) in new[] { (new[] { "b", "a" }, new[] { new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 6) }), (new[] { "a" }, new[] { new DateOnly(2024, 3, 4) }) })
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(customer, ids);
                await group.WriteAsync<DateOnly>(start, starts, cancellationToken: TestContext.Current.CancellationToken);
                await group.WriteAsync<double>(spend, Enumerable.Repeat(2.5, ids.Length).ToArray(), cancellationToken: TestContext.Current.CancellationToken);
                await group.WriteAsync<int>(orders, Enumerable.Repeat(1, ids.Length).ToArray(), cancellationToken: TestContext.Current.CancellationToken);
                await group.WriteAsync<double>(items, Enumerable.Repeat(3.0, ids.Length).ToArray(), cancellationToken: TestContext.Current.CancellationToken);
                await group.WriteAsync<int>(returns, Enumerable.Repeat(0, ids.Length).ToArray(), cancellationToken: TestContext.Current.CancellationToken);
            }
        }

        stream.Position = 0;
        var partials = await PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b"], partials.CustomerIds);
        Assert.Equal([new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 4)], partials.BucketStarts);
        Assert.Equal([5.0, 2.5], partials.NetSpend);
        Assert.Equal([2, 1], partials.Orders);
        Assert.Equal([6.0, 3.0], partials.Items);
    }

    [Fact]
    public void ManyPartsMerged_EqualTheirConcatenation()
    {
        // One file per order (an order split across files would count once in each).
        var rows = (PartA + PartB + PartC).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var parts = rows.GroupBy(row => row.Split(',')[0]).Select(order => Featurize(Header + string.Join('\n', order) + "\n", BucketSize.Day)).ToList();
        Assert.True(parts.Count > 4);

        var merged = PartialAggregates.Merge(parts);

        PartialsAssert.Equal(Featurize(Header + string.Join('\n', rows), BucketSize.Day), merged);
        Assert.Equal(merged.CustomerCount, merged.CustomerIds.Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void FromTransactions_MatchesFeaturizingTheSameRows()
    {
        using var stream = ExportText.Stream(Header + PartA + PartB);
        var transactions = ExportReader.ReadTransactions(stream, "part.csv", new ExportReaderOptions(), cancellationToken: TestContext.Current.CancellationToken);

        PartialsAssert.Equal(Featurize(Header + PartA + PartB), PartialAggregates.FromTransactions(transactions, BucketSize.Week));
    }

    [Fact]
    public void Summary_CountsRowsCustomersAndSpend()
    {
        using var stream = ExportText.Stream(Header + PartA + PartB + "o9,,2024-03-04,1,1\n");
        var rejected = new RejectedRowList();

        var summary = ExportFeaturizer.Featurize(stream, "part.csv", new ExportReaderOptions(), BucketSize.Week, rejected, TestContext.Current.CancellationToken).Summary;

        Assert.Equal(new IngestSummary("part.csv", 8, 7, 0, 1, 3, 52, summary.TextBytes, summary.Elapsed), summary);
        Assert.Equal((Header + PartA + PartB + "o9,,2024-03-04,1,1\n").Length, summary.TextBytes);
    }
}
