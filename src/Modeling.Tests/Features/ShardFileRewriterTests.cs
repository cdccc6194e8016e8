using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

/// <summary>
/// Compaction streams shard files row group by row group: its output must be byte for byte what the in-memory shard
/// (<see cref="PartialShard.With"/>, <see cref="PartialShard.Without"/>) writes, whatever the row groups.
/// </summary>
public class ShardFileRewriterTests
{
    /// <summary>Row groups this small cut the test files into many, so rows are merged across group boundaries.</summary>
    private const int SmallRowGroup = 7;

    private static readonly DateOnly Monday = new(2024, 1, 1);

    /// <summary>Day partials of customers <c>c{first}</c> onwards, one to three transactions each over 30 days.</summary>
    internal static PartialAggregates Partials(int seed, int firstCustomer, int customers)
    {
        var random = new Random(seed);
        var transactions = new List<Transaction>();
        for (var c = firstCustomer; c < firstCustomer + customers; c++)
        {
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                transactions.Add(new Transaction($"c{c:D4}", Monday.AddDays(random.Next(0, 30)).ToDateTime(TimeOnly.MinValue), random.Next(-500, 5000) / 100.0, null, 1));
            }
        }

        return PartialAggregates.FromTransactions(transactions, BucketSize.Day);
    }

    private static async Task<byte[]> BytesAsync(PartialShard shard, int rowGroupRows)
    {
        using var file = new MemoryStream();
        await shard.WriteParquetAsync(file, rowGroupRows, TestContext.Current.CancellationToken);
        return file.ToArray();
    }

    private static async Task<(bool Changed, byte[] Bytes)> RewriteAsync(PartialShard? current, string source, string? version, PartialAggregates? rows, int rowGroupRows)
    {
        using var input = current is null ? null : new MemoryStream(await BytesAsync(current, rowGroupRows));
        using var output = new MemoryStream();
        var changed = await ShardFileRewriter.RewriteAsync(input, source, version, rows, output, rowGroupRows, TestContext.Current.CancellationToken);
        return (changed, output.ToArray());
    }

    private static PartialShard TwoSources() =>
        PartialShard.Empty(BucketSize.Day).With("a.parquet", "1", Partials(1, 0, 40)).With("c.parquet", "1", Partials(2, 20, 40));

    [Theory]
    [InlineData(SmallRowGroup)]
    [InlineData(PartialShard.RowGroupRows)]
    public async Task Rewrite_AddingANewSource_WritesTheBytesOfWith(int rowGroupRows)
    {
        var shard = TwoSources();
        var added = Partials(3, 10, 50);

        var (changed, bytes) = await RewriteAsync(shard, "b.parquet", "1", added, rowGroupRows);

        Assert.True(changed);
        Assert.Equal(await BytesAsync(shard.With("b.parquet", "1", added), rowGroupRows), bytes);
    }

    [Fact]
    public async Task Rewrite_ReplacingASourcesRows_WritesTheBytesOfWith()
    {
        var shard = TwoSources().With("b.parquet", "1", Partials(3, 10, 50));
        var replacement = Partials(4, 35, 20);

        var (changed, bytes) = await RewriteAsync(shard, "b.parquet", "2", replacement, SmallRowGroup);

        Assert.True(changed);
        Assert.Equal(await BytesAsync(shard.With("b.parquet", "2", replacement), SmallRowGroup), bytes);
    }

    [Fact]
    public async Task Rewrite_RemovingASource_WritesTheBytesOfWithout()
    {
        var shard = TwoSources();

        var (changed, bytes) = await RewriteAsync(shard, "a.parquet", null, null, SmallRowGroup);

        Assert.True(changed);
        Assert.Equal(await BytesAsync(shard.Without("a.parquet"), SmallRowGroup), bytes);
    }

    [Fact]
    public async Task Rewrite_RemovingTheOnlySource_WritesAnEmptyShard()
    {
        var shard = PartialShard.Empty(BucketSize.Day).With("a.parquet", "1", Partials(1, 0, 40));

        var (changed, bytes) = await RewriteAsync(shard, "a.parquet", null, null, SmallRowGroup);

        Assert.True(changed);
        Assert.Equal(await BytesAsync(shard.Without("a.parquet"), SmallRowGroup), bytes);
    }

    [Fact]
    public async Task Rewrite_WithoutAShardFile_WritesTheBytesOfANewShard()
    {
        var added = Partials(3, 10, 50);

        var (changed, bytes) = await RewriteAsync(null, "b.parquet", "1", added, SmallRowGroup);

        Assert.True(changed);
        Assert.Equal(await BytesAsync(PartialShard.Empty(BucketSize.Day).With("b.parquet", "1", added), SmallRowGroup), bytes);
    }

    [Fact]
    public async Task Rewrite_SameVersionAgain_WritesNothing()
    {
        var shard = TwoSources();

        var (changed, bytes) = await RewriteAsync(shard, "a.parquet", "1", Partials(1, 0, 40), SmallRowGroup);

        Assert.False(changed);
        Assert.Empty(bytes);
    }

    [Fact]
    public async Task Rewrite_RemovingASourceItDoesNotHold_WritesNothing()
    {
        var (changed, bytes) = await RewriteAsync(TwoSources(), "z.parquet", null, null, SmallRowGroup);

        Assert.False(changed);
        Assert.Empty(bytes);
    }
}
