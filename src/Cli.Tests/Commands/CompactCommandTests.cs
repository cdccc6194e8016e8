using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Modeling.Synthetic;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public sealed class CompactCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-compact-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Compact_WithJson_WritesShardsHoldingEveryCustomer_AndASecondRunWritesNothing()
    {
        var input = Path.Combine(_directory.FullName, "orders.csv");
        var truth = SyntheticExportGenerator.WriteFile(input, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = 400, Seed = 5, DirtyRowRate = 0 }, TestContext.Current.CancellationToken);
        var output = Path.Combine(_directory.FullName, "out");
        Assert.Equal(ExitCodes.Success, CliApp.Run(["featurize", "--input", input, "--output", output, "--json"], new TestConsole()));
        var features = Path.Combine(output, "features");

        var first = Compact(features);
        var times = Directory.GetFiles(Path.Combine(features, "shards")).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var second = Compact(features);

        Assert.Equal(1, first.GetProperty("merged").GetInt32());
        Assert.True(first.GetProperty("shardsWritten").GetInt32() > 0);
        Assert.Equal(0, second.GetProperty("merged").GetInt32());
        Assert.Equal(0, second.GetProperty("shardsWritten").GetInt32());
        Assert.All(times, pair => Assert.Equal(pair.Value, File.GetLastWriteTimeUtc(pair.Key)));
        var customers = 0;
        foreach (var file in times.Keys)
        {
            await using var stream = File.OpenRead(file);
            customers += (await PartialShard.ReadParquetAsync(stream, TestContext.Current.CancellationToken)).Merged().CustomerCount;
        }

        Assert.Equal(truth.Customers, customers);
    }

    [Fact]
    public async Task Compact_AfterAPartialChangesAndAnotherIsDeleted_ShardsHoldExactlyTheRemainingPartial()
    {
        var features = Path.Combine(_directory.FullName, "features");
        Directory.CreateDirectory(features);
        await WritePartialAsync(Path.Combine(features, "a.parquet"), seed: 1, customers: 300);
        await WritePartialAsync(Path.Combine(features, "b.parquet"), seed: 2, customers: 200);
        Assert.Equal(2, Compact(features).GetProperty("merged").GetInt32());

        // a.parquet is exported again with other rows; b.parquet is withdrawn.
        var replaced = await WritePartialAsync(Path.Combine(features, "a.parquet"), seed: 3, customers: 250);
        File.SetLastWriteTimeUtc(Path.Combine(features, "a.parquet"), DateTime.UtcNow.AddMinutes(1));
        File.Delete(Path.Combine(features, "b.parquet"));
        var result = Compact(features);

        Assert.Equal(1, result.GetProperty("merged").GetInt32());
        var shards = new List<PartialAggregates>();
        foreach (var file in Directory.GetFiles(Path.Combine(features, "shards"), "*.parquet"))
        {
            await using var stream = File.OpenRead(file);
            var shard = await PartialShard.ReadParquetAsync(stream, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("b.parquet", shard.Versions.Keys);
            if (shard.Count > 0)
            {
                shards.Add(shard.Merged());
            }
        }

        var merged = PartialAggregates.Merge(shards);
        Assert.Equal(replaced.CustomerIds, merged.CustomerIds);
        Assert.Equal(replaced.BucketStarts, merged.BucketStarts);
        Assert.Equal(replaced.NetSpend, merged.NetSpend);
        Assert.Equal(result.GetProperty("shards").GetInt32(), shards.Count);
    }

    private static async Task<PartialAggregates> WritePartialAsync(string path, int seed, int customers)
    {
        var random = new Random(seed);
        var transactions = new List<Clv.Modeling.Ingest.Transaction>();
        for (var c = 0; c < customers; c++)
        {
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                transactions.Add(new Clv.Modeling.Ingest.Transaction($"c{c:D4}", new DateTime(2024, 1, 1).AddDays(random.Next(0, 90)), random.Next(100, 9000) / 100.0, null, 1));
            }
        }

        var partial = PartialAggregates.FromTransactions(transactions, BucketSize.Day);
        await using var stream = File.Create(path);
        await partial.WriteParquetAsync(stream, TestContext.Current.CancellationToken);
        return partial;
    }

    private static JsonElement Compact(string features)
    {
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, CliApp.Run(["compact", "--features", features, "--json"], console));
        return JsonDocument.Parse(console.Output).RootElement.Clone();
    }
}
