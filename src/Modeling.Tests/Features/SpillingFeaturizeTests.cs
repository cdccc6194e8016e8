using System.Globalization;
using System.Text;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Tests.Ingest;

namespace Clv.Modeling.Tests.Features;

/// <summary>
/// Featurizing under a memory budget spills cells and rows to local run files and merges them into the partials file;
/// none of that may show in the result: the file is byte for byte the in-memory one, with the same summary and rejects.
/// </summary>
public class SpillingFeaturizeTests
{
    private static readonly ExportReaderOptions Options = new() { MaxRejectedShare = 0.5 };

    private static async Task<(byte[] Partial, IngestSummary Summary, RejectedRowList Rejected)> InMemoryAsync(string text, BucketSize bucket)
    {
        using var stream = ExportText.Stream(text);
        var rejected = new RejectedRowList();
        var result = ExportFeaturizer.Featurize(stream, "export.csv", Options, bucket, rejected, threads: 1, chunkBytes: 1 << 22, TestContext.Current.CancellationToken);
        using var partial = new MemoryStream();
        await result.Partials.WriteParquetAsync(partial, TestContext.Current.CancellationToken);
        return (partial.ToArray(), result.Summary, rejected);
    }

    private static async Task<(byte[] Partial, IngestSummary Summary, RejectedRowList Rejected)> BoundedAsync(string text, BucketSize bucket, int threads, int chunkBytes, long budgetBytes)
    {
        using var stream = ExportText.Stream(text);
        var rejected = new RejectedRowList();
        using var partial = new MemoryStream();
        var summary = await ExportFeaturizer.FeaturizeToParquetAsync(stream, "export.csv", Options, bucket, rejected, partial, threads, chunkBytes, budgetBytes, TestContext.Current.CancellationToken);
        return (partial.ToArray(), summary, rejected);
    }

    /// <summary>
    /// Customers whose orders recur across the whole file, each order's lines spread over many rows (so its lines fall on
    /// both sides of spills), rows without an order id (one order per day), returns, rows out of time order, amounts
    /// whose sums round differently in another order, and ids that are long or not ASCII.
    /// </summary>
    private static string SpreadOrdersExport(int rows, int seed)
    {
        var random = new Random(seed);
        string[] prefixes = ["c", "customer-00000000000", "Ünïcødé-", "\uE000p", "😀", "Z"];
        var text = new StringBuilder("order_id,customer_id,order_date,product,quantity,amount\n");
        var day = new DateOnly(2024, 1, 1);
        for (var row = 0; row < rows; row++)
        {
            day = day.AddDays(random.Next(10) == 0 ? 1 : 0);
            var date = random.Next(15) == 0 ? day.AddDays(-random.Next(30)) : day;
            var customer = prefixes[random.Next(prefixes.Length)] + random.Next(25).ToString(CultureInfo.InvariantCulture);
            var order = random.Next(8) == 0 ? string.Empty : "o" + random.Next(40).ToString(CultureInfo.InvariantCulture);
            var amount = (random.Next(12) == 0 ? -1 : 1) * random.Next(1, 100_000) / 100.0;
            var quantity = random.Next(1, 5) + (random.Next(4) == 0 ? 0.1 : 0);
            text.Append(CultureInfo.InvariantCulture, $"{order},{customer},{date:yyyy-MM-dd},x,{quantity.ToString(CultureInfo.InvariantCulture)},{amount.ToString(CultureInfo.InvariantCulture)}\n");
        }

        return text.ToString();
    }

    [Theory]
    [InlineData(1, 97, 1L)]
    [InlineData(2, 301, 1L)]
    [InlineData(3, 4096, 1L)]
    [InlineData(2, 512, 600_000L)]
    [InlineData(2, 1 << 22, long.MaxValue)]
    public async Task TinyBudget_GivesByteIdenticalPartialsAndTheSameSummaryAndRejects(int threads, int chunkBytes, long budgetBytes)
    {
        foreach (var (text, bucket) in new[] { (SpreadOrdersExport(4000, seed: 7), BucketSize.Day), (ParallelFeaturizeTests.HostileExport(3000, seed: 11), BucketSize.Week) })
        {
            var reference = await InMemoryAsync(text, bucket);
            Assert.True(reference.Summary.Customers > 100, "the export should have many customers");

            var bounded = await BoundedAsync(text, bucket, threads, chunkBytes, budgetBytes);

            Assert.Equal(reference.Partial, bounded.Partial);
            Assert.Equal(reference.Summary with { Elapsed = default, TotalSpend = 0 }, bounded.Summary with { Elapsed = default, TotalSpend = 0 });
            Assert.Equal(reference.Summary.TotalSpend, bounded.Summary.TotalSpend, 1e-6);
            Assert.Equal(reference.Rejected.Rows, bounded.Rejected.Rows);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ManyRowGroups_WrittenWhileFilled_GiveByteIdenticalPartials(int threads)
    {
        // About 90,000 cells: three row groups of 32,768 rows, the last one short, filled while the one before is written.
        var text = new StringBuilder("customer_id,order_date,amount\n");
        var random = new Random(5);
        for (var row = 0; row < 100_000; row++)
        {
            var day = new DateOnly(2023, 1, 1).AddDays(random.Next(700));
            text.Append(CultureInfo.InvariantCulture, $"c{random.Next(4000)},{day:yyyy-MM-dd},{random.Next(1, 10_000) / 100.0}\n");
        }

        var reference = await InMemoryAsync(text.ToString(), BucketSize.Day);
        Assert.InRange(reference.Summary.Accepted, 100_000, 100_000);

        var bounded = await BoundedAsync(text.ToString(), BucketSize.Day, threads, chunkBytes: 1 << 16, budgetBytes: long.MaxValue);

        Assert.Equal(reference.Partial, bounded.Partial);
        using var stream = new MemoryStream(bounded.Partial);
        var partials = await PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken);
        Assert.InRange(partials.Count, (2 * 32_768) + 1, 100_000);
    }

    [Fact]
    public async Task WriteFailingMidFile_ThrowsTheStreamsErrorAndStopsFilling()
    {
        // About 90,000 cells with random amounts (over a megabyte of partials); the disk fills after the first row groups.
        var text = new StringBuilder("customer_id,order_date,amount\n");
        var random = new Random(3);
        for (var row = 0; row < 100_000; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"c{random.Next(4000)},{new DateOnly(2023, 1, 1).AddDays(random.Next(700)):yyyy-MM-dd},{random.Next(1, 1_000_000) / 100.0}\n");
        }

        using var export = ExportText.Stream(text.ToString());
        await using var partial = new FailingStream(failAfterBytes: 400_000);

        var write = ExportFeaturizer.FeaturizeToParquetAsync(export, "export.csv", Options, BucketSize.Day, null, partial, 2, 1 << 16, long.MaxValue, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => write.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.Equal(FailingStream.Message, error.Message);
        Assert.InRange(partial.Length, 1, 400_000);
    }

    [Fact]
    public async Task NoAcceptedRow_WrittenWhileFilled_GivesTheEmptyPartialsFile()
    {
        var text = "customer_id,order_date,amount\nc1,not a date,1\nc2,2024-01-01,not a number\n";
        var options = new ExportReaderOptions { MaxRejectedShare = 1 };
        using var export = ExportText.Stream(text);
        var result = ExportFeaturizer.Featurize(export, "export.csv", options, BucketSize.Day, null, threads: 2, chunkBytes: 1 << 22, TestContext.Current.CancellationToken);
        using var reference = new MemoryStream();
        await result.Partials.WriteParquetAsync(reference, TestContext.Current.CancellationToken);

        using var bounded = new MemoryStream();
        await ExportFeaturizer.FeaturizeToParquetAsync(ExportText.Stream(text), "export.csv", options, BucketSize.Day, null, bounded, 2, 1 << 22, long.MaxValue, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Partials.Count);
        Assert.Equal(reference.ToArray(), bounded.ToArray());
    }

    [Fact]
    public async Task SpilledOrders_AreCountedOnceAcrossRuns()
    {
        // One customer-day, one order whose three lines fall in three runs (one chunk, and one spill, per line).
        var text = "order_id,customer_id,order_date,product,quantity,amount\n"
            + "o1,c1,2024-01-01,x,1,0.1\n"
            + "o1,c1,2024-01-01,x,1,0.2\n"
            + "o2,c1,2024-01-01,x,1,0.3\n"
            + "o1,c1,2024-01-01,x,1,0.4\n";

        var bounded = await BoundedAsync(text, BucketSize.Day, threads: 1, chunkBytes: 8, budgetBytes: 1);
        var reference = await InMemoryAsync(text, BucketSize.Day);

        Assert.Equal(reference.Partial, bounded.Partial);
        using var stream = new MemoryStream(bounded.Partial);
        var partials = await PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken);
        Assert.Equal([2], partials.Orders);
        Assert.Equal(0.1 + 0.2 + 0.3 + 0.4, partials.NetSpend[0]);
    }

    [Fact]
    public async Task SpillFiles_AreDeletedAfterwards()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), "clv-featurize-runs-*").Length;

        await BoundedAsync(SpreadOrdersExport(500, seed: 3), BucketSize.Day, threads: 2, chunkBytes: 256, budgetBytes: 1);

        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "clv-featurize-runs-*").Length);
    }

    /// <summary>A destination that accepts some bytes, then fails as a full disk would.</summary>
    private sealed class FailingStream(long failAfterBytes) : MemoryStream
    {
        public const string Message = "No space left on device";

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Check(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        private void Check(int count)
        {
            if (Length + count > failAfterBytes)
            {
                throw new IOException(Message);
            }
        }
    }
}
