using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

public class PartialShardTests
{
    private const double SpendTolerance = 1e-9;

    private static readonly DateOnly Monday = new(2024, 1, 1);

    private static PartialAggregates Partials(int seed, int firstCustomer, int customers)
    {
        var random = new Random(seed);
        var transactions = new List<Transaction>();
        for (var c = firstCustomer; c < firstCustomer + customers; c++)
        {
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                transactions.Add(new Transaction($"c{c:D4}", Monday.AddDays(random.Next(0, 200)).ToDateTime(TimeOnly.MinValue), random.Next(1, 5000) / 100.0, null, 1));
            }
        }

        return PartialAggregates.FromTransactions(transactions, BucketSize.Day);
    }

    private static void AssertSameCells(PartialAggregates expected, PartialAggregates actual)
    {
        Assert.Equal(expected.CustomerIds, actual.CustomerIds);
        Assert.Equal(expected.BucketStarts, actual.BucketStarts);
        Assert.Equal(expected.Orders, actual.Orders);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.NetSpend[i], actual.NetSpend[i], SpendTolerance);
        }
    }

    [Fact]
    public void Merged_SumsEverySource_LikeMergingThePartials()
    {
        var a = Partials(1, 0, 40);
        var b = Partials(2, 20, 40);

        var shard = PartialShard.Empty(BucketSize.Day).With("a.parquet", "1", a).With("b.parquet", "1", b);

        AssertSameCells(PartialAggregates.Merge([a, b]), shard.Merged());
    }

    [Fact]
    public void With_ReplacesTheSourcesPreviousRows()
    {
        var a = Partials(1, 0, 40);
        var oldB = Partials(2, 20, 40);
        var newB = Partials(3, 30, 10);

        var shard = PartialShard.Empty(BucketSize.Day).With("a.parquet", "1", a).With("b.parquet", "1", oldB).With("b.parquet", "2", newB);

        AssertSameCells(PartialAggregates.Merge([a, newB]), shard.Merged());
        Assert.Equal("2", shard.VersionOf("b.parquet"));
    }

    [Fact]
    public void Without_RemovesTheSourceAndItsVersion()
    {
        var a = Partials(1, 0, 40);
        var shard = PartialShard.Empty(BucketSize.Day).With("a.parquet", "1", a).With("b.parquet", "1", Partials(2, 20, 40));

        var without = shard.Without("b.parquet");

        AssertSameCells(a, without.Merged());
        Assert.Null(without.VersionOf("b.parquet"));
    }

    [Fact]
    public async Task Parquet_RoundTripsRowsSourcesAndVersions()
    {
        var shard = PartialShard.Empty(BucketSize.Day).With("a.parquet", "0x1", Partials(1, 0, 40)).With("b.parquet", "0x2", Partials(2, 20, 40));
        using var file = new MemoryStream();
        await shard.WriteParquetAsync(file, TestContext.Current.CancellationToken);

        file.Position = 0;
        var read = await PartialShard.ReadParquetAsync(file, TestContext.Current.CancellationToken);
        file.Position = 0;
        var asPartials = await PartialAggregates.ReadParquetAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal(shard.Sources, read.Sources);
        Assert.Equal(shard.Versions, read.Versions);
        AssertSameCells(shard.Merged(), read.Merged());
        AssertSameCells(shard.Merged(), asPartials);
    }

    [Fact]
    public void Split_PutsEachCustomerInItsPartition_KeepingEveryRow()
    {
        var partials = Partials(4, 0, 100);

        var parts = PartialShard.Split(partials, id => id[^1] - '0', 10);

        Assert.All(Enumerable.Range(0, 10), p => Assert.All(parts[p]!.CustomerIds, id => Assert.Equal(p, id[^1] - '0')));
        AssertSameCells(partials, PartialAggregates.Merge(parts.OfType<PartialAggregates>()));
    }

    [Fact]
    public void SliceByCustomers_CutsBetweenCustomers()
    {
        var partials = Partials(5, 0, 25);

        var slices = PartialShard.SliceByCustomers(partials, 10).ToList();

        Assert.Equal([10, 10, 5], slices.Select(s => s.CustomerCount));
        AssertSameCells(partials, PartialAggregates.Merge(slices));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(10, 7)]
    [InlineData(1000, 5)]
    [InlineData(10, PartialShard.RowGroupRows)]
    public async Task ReadMergedInBatches_GivesTheBatchesOfReadingTheWholeShard(int customersPerBatch, int rowGroupRows)
    {
        // Three sources overlapping in customers and days, so cells are summed across sources and across row groups.
        var shard = PartialShard.Empty(BucketSize.Day)
            .With("a.parquet", "1", Partials(1, 0, 40))
            .With("b.parquet", "1", Partials(2, 20, 40))
            .With("c.parquet", "1", Partials(3, 10, 45));
        using var file = new MemoryStream();
        await shard.WriteParquetAsync(file, rowGroupRows, TestContext.Current.CancellationToken);
        Func<string, bool> odd = id => int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 2 == 1;

        foreach (var include in new[] { null, odd })
        {
            file.Position = 0;
            var batches = await PartialShard.ReadMergedInBatchesAsync(file, customersPerBatch, include, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

            var whole = include is null ? shard.Merged() : shard.Merged().WhereCustomer(include);
            var expected = PartialShard.SliceByCustomers(whole, customersPerBatch).ToList();
            Assert.Equal(expected.Count, batches.Count);
            for (var b = 0; b < expected.Count; b++)
            {
                // Summed in the same order: the same doubles, not merely close ones.
                Assert.Equal(expected[b].CustomerIds, batches[b].CustomerIds);
                Assert.Equal(expected[b].BucketStarts, batches[b].BucketStarts);
                Assert.Equal(expected[b].NetSpend, batches[b].NetSpend);
                Assert.Equal(expected[b].Orders, batches[b].Orders);
                Assert.Equal(expected[b].Items, batches[b].Items);
                Assert.Equal(expected[b].Returns, batches[b].Returns);
            }
        }
    }

    [Fact]
    public async Task ReadMergedInBatches_RejectsAPlainPartialsFile()
    {
        using var file = new MemoryStream();
        await Partials(1, 0, 5).WriteParquetAsync(file, TestContext.Current.CancellationToken);
        file.Position = 0;

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            await PartialShard.ReadMergedInBatchesAsync(file, 10, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Contains("not a shard file", error.Message, StringComparison.Ordinal);
    }
}
