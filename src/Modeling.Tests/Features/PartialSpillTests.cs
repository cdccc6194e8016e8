using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

/// <summary>
/// Compaction splits an export's partial by shard into local files and reads one shard's part at a time: each part
/// must be exactly what splitting the whole partial in memory gives, for files of this library and from elsewhere.
/// </summary>
public class PartialSpillTests
{
    private const int Partitions = 16;

    private static int PartitionOf(string id) => id.GetHashCode(StringComparison.Ordinal) & (Partitions - 1);

    private static string Folder() => Path.Combine(Path.GetTempPath(), "clv-spill-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>The rewriter tests' partials and a customer whose id is not ASCII.</summary>
    private static PartialAggregates Partials(int seed, int firstCustomer, int customers) => PartialAggregates.Merge(
    [
        ShardFileRewriterTests.Partials(seed, firstCustomer, customers),
        PartialAggregates.FromTransactions([new Transaction("kunde-ø-客户", new DateTime(2024, 1, 3), 12.5, null, 1)], BucketSize.Day),
    ]);

    private static void AssertSameParts(PartialAggregates whole, PartialSpill spill)
    {
        var expected = PartialShard.Split(whole, PartitionOf, Partitions);
        Assert.Equal(whole.Count, spill.Rows);
        Assert.Equal(whole.Bucket, spill.Bucket);
        for (var p = 0; p < Partitions; p++)
        {
            var actual = spill.Read(p);
            Assert.Equal(expected[p] is null, actual is null);
            Assert.Equal(expected[p] is not null, spill.Has(p));
            if (expected[p] is { } part)
            {
                Assert.Equal(part.CustomerIds, actual!.CustomerIds);
                Assert.Equal(part.BucketStarts, actual.BucketStarts);
                Assert.Equal(part.NetSpend, actual.NetSpend);
                Assert.Equal(part.Orders, actual.Orders);
                Assert.Equal(part.Items, actual.Items);
                Assert.Equal(part.Returns, actual.Returns);
                Assert.Equal(part.CustomerCount, actual.CustomerCount);
            }
        }
    }

    [Fact]
    public async Task APartialOfManyRowGroups_SplitsIntoTheSamePartsAsTheWholeFileInMemory()
    {
        var partials = PartialAggregates.Merge([Partials(1, 0, 300), Partials(2, 150, 300)]);
        using var file = new MemoryStream();
        await partials.WriteParquetAsync(file, 7, TestContext.Current.CancellationToken);
        file.Position = 0;
        var folder = Folder();

        using (var spill = await PartialSpill.CreateAsync(file, PartitionOf, Partitions, folder, TestContext.Current.CancellationToken))
        {
            AssertSameParts(partials, spill);
            Assert.Equal(spill.Read(3)!.CustomerIds, spill.Read(3)!.CustomerIds);
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AFileFromElsewhere_OutOfOrderWithRepeatedCells_SplitsIntoItsSortedAndSummedParts()
    {
        var sorted = Partials(3, 0, 120);
        var order = Enumerable.Range(0, sorted.Count).Reverse().Append(0).ToArray();
        var shuffled = new PartialAggregates(
            sorted.Bucket,
            [.. order.Select(i => sorted.CustomerIds[i])],
            [.. order.Select(i => sorted.BucketStarts[i])],
            [.. order.Select(i => sorted.NetSpend[i])],
            [.. order.Select(i => sorted.Orders[i])],
            [.. order.Select(i => sorted.Items[i])],
            [.. order.Select(i => sorted.Returns[i])],
            validate: false);
        using var file = new MemoryStream();
        await shuffled.WriteParquetAsync(file, 10, TestContext.Current.CancellationToken);
        file.Position = 0;
        var whole = await PartialAggregates.ReadParquetAsync(file, TestContext.Current.CancellationToken);
        file.Position = 0;

        using var spill = await PartialSpill.CreateAsync(file, PartitionOf, Partitions, Folder(), TestContext.Current.CancellationToken);

        Assert.Equal(sorted.Count, whole.Count);
        Assert.Equal(2 * sorted.NetSpend[0], whole.NetSpend[0], 12);
        AssertSameParts(whole, spill);
    }

    [Fact]
    public async Task APartitionOutOfRange_IsAnError_AndLeavesNoFiles()
    {
        using var file = new MemoryStream();
        await Partials(4, 0, 20).WriteParquetAsync(file, TestContext.Current.CancellationToken);
        file.Position = 0;
        var folder = Folder();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PartialSpill.CreateAsync(file, _ => Partitions, Partitions, folder, TestContext.Current.CancellationToken));

        Assert.False(Directory.Exists(folder));
    }
}
