using System.Text.Json;
using Clv.Modeling.Synthetic;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-run-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Export(int customers, int seed)
    {
        var path = Path.Combine(_directory.FullName, $"orders-{seed}.csv");
        SyntheticExportGenerator.WriteFile(path, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = customers, Seed = seed }, TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public void Run_WithJson_PrintsTheEvaluationTableOfEveryModel()
    {
        var output = Path.Combine(_directory.FullName, "out");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["run", "--input", Export(500, 1), Export(300, 2), "--output", output, "--epochs", "2", "--hidden", "8", "--cutoffs", "2", "--origins", "2", "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Equal("out-of-time", document.RootElement.GetProperty("evaluation").GetProperty("protocol").GetString());
        var evaluation = document.RootElement.GetProperty("evaluation").GetProperty("models");
        foreach (var model in new[] { "lstm", "gbm", "bgnbd", "naive" })
        {
            foreach (var metric in new[] { "gini", "spearman", "decileMape", "mae", "rmse", "bias", "topDecileCapture" })
            {
                Assert.True(evaluation.GetProperty(model).TryGetProperty(metric, out _), $"{model}.{metric} is missing");
            }
        }

        Assert.True(evaluation.GetProperty("lstm").TryGetProperty("auc", out _));
        var ingest = document.RootElement.GetProperty("ingest");
        Assert.Equal(ingest.GetProperty("rows").GetInt64(), ingest.GetProperty("accepted").GetInt64() + ingest.GetProperty("rejected").GetInt64() + ingest.GetProperty("skipped").GetInt64());
        Assert.True(File.Exists(Path.Combine(output, "features", "orders-1.parquet")));
        Assert.True(File.Exists(Path.Combine(output, "features", "orders-2.parquet")));
    }

    [Fact]
    public void Run_WhenEveryExportFails_WithJson_PrintsOneObjectWithTheIngestAndTheError()
    {
        var path = Path.Combine(_directory.FullName, "bad.csv");
        File.WriteAllText(path, "customer_id,date,amount\nc1,2024-01-01,x\n,2024-01-01,1\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["run", "--input", path, "--output", Path.Combine(_directory.FullName, "out"), "--json"], console);

        Assert.Equal(ExitCodes.Failed, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        var root = document.RootElement;
        Assert.Equal("no export could be read, so there is nothing to train on.", root.GetProperty("error").GetString());
        Assert.StartsWith("bad.csv: 1 of 1 rows rejected", Assert.Single(root.GetProperty("ingest").GetProperty("failedFiles").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithAMissingFile_WithJson_PrintsTheErrorAsJson()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["run", "--input", Path.Combine(_directory.FullName, "nope.csv"), "--json"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Contains("nope.csv' not found", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithAMissingFile_SaysWhichAndExitsWithUsageError()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["run", "--input", Path.Combine(_directory.FullName, "nope.csv")], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("nope.csv' not found", console.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bucket", "fortnight", "--bucket 'fortnight'")]
    [InlineData("--as-of", "30/06/1998", "--as-of '30/06/1998'")]
    [InlineData("--horizon", "0", "HorizonBuckets")]
    public void Run_WithABadOption_NamesItWithoutAStackTrace(string option, string value, string expected)
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["run", "--input", Export(100, 3), "--output", _directory.FullName, option, value], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains(expected, console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WhenHistoryIsShorterThanTheHorizon_ExplainsInsteadOfTraining()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["run", "--input", Export(100, 4), "--output", _directory.FullName, "--horizon", "400"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("cutoff", console.Output, StringComparison.Ordinal);
    }
}
