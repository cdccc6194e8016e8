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

    private static JsonElement Compact(string features)
    {
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, CliApp.Run(["compact", "--features", features, "--json"], console));
        return JsonDocument.Parse(console.Output).RootElement.Clone();
    }
}
