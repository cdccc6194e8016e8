using System.Text.Json;
using Clv.Modeling.Synthetic;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

/// <summary><c>clv train</c>, <c>clv evaluate</c> and <c>clv score</c> on partials written by <c>clv featurize</c>.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private static readonly string[] SmallModel = ["--epochs", "2", "--hidden", "8", "--steps", "26", "--horizon", "13", "--cutoffs", "2", "--origins", "2"];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-model-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Features()
    {
        var export = Path.Combine(_directory.FullName, "orders.csv");
        SyntheticExportGenerator.WriteFile(export, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = 500, Seed = 5 }, TestContext.Current.CancellationToken);
        var output = Path.Combine(_directory.FullName, "featurized");
        Assert.Equal(ExitCodes.Success, CliApp.Run(["featurize", "--input", export, "--output", output, "--bucket", "day"], new TestConsole()));
        return Path.Combine(output, "features");
    }

    [Fact]
    public void Evaluate_WithJson_PrintsTheOutOfTimeBacktest()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["evaluate", "--features", Features(), "--json", "--as-of", "2024-12-29", "--cutoff-step", "3", .. SmallModel], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        var root = document.RootElement;
        Assert.Equal("out-of-time", root.GetProperty("protocol").GetString());
        Assert.Equal(["2024-09-08", "2024-09-29"], root.GetProperty("cutoffs").EnumerateArray().Select(c => c.GetProperty("cutoff").GetString()));
        var models = root.GetProperty("models");
        Assert.Equal(["lstm", "gbm", "bgnbd", "naive"], models.EnumerateObject().Select(p => p.Name));
        Assert.True(models.GetProperty("lstm").TryGetProperty("auc", out _));
        Assert.True(models.GetProperty("lstm").TryGetProperty("coverage80", out _));
        Assert.False(models.GetProperty("naive").TryGetProperty("auc", out _));
        Assert.Equal(["gini", "spearman", "decileMape"], root.GetProperty("differences").EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("differences").GetProperty("gini").GetProperty("ci95").GetArrayLength());
    }

    [Fact]
    public void TrainThenScore_WritesOnePredictionPerCustomerWithTheModelsVersion()
    {
        var features = Features();
        var trainConsole = new TestConsole();
        Assert.Equal(ExitCodes.Success, CliApp.Run(["train", "--features", features, "--output", Path.Combine(_directory.FullName, "trained"), "--json", .. SmallModel], trainConsole));
        using var trained = JsonDocument.Parse(trainConsole.Output);
        var model = trained.RootElement.GetProperty("model").GetString()!;
        var predictions = Path.Combine(_directory.FullName, "scored", "predictions.csv");
        var scoreConsole = new TestConsole();

        var exitCode = CliApp.Run(["score", "--model", model, "--features", features, "--output", predictions, "--json"], scoreConsole);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var scored = JsonDocument.Parse(scoreConsole.Output);
        Assert.Equal(500, scored.RootElement.GetProperty("customers").GetInt32());
        Assert.Equal(trained.RootElement.GetProperty("modelVersion").GetString(), scored.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal(501, File.ReadLines(predictions).Count());
    }

    [Fact]
    public void Score_WithAFileThatIsNotAModel_NamesTheFile()
    {
        var fake = Path.Combine(_directory.FullName, "model.onnx");
        File.WriteAllText(fake, "customer_id,amount\n1,2\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["score", "--model", fake, "--features", Features()], console);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("model.onnx", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WithoutFeatures_SaysWhatToGive()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["train", "--features", Path.Combine(_directory.FullName, "missing")], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("not found", console.Output, StringComparison.Ordinal);
    }
}
