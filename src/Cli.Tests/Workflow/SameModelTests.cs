using Clv.Modeling.Onnx;
using Clv.Modeling.Onnx.Proto;
using Clv.Modeling.Synthetic;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Hosting;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Storage;
using Clv.Pipeline.Train;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parquet;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Workflow;

/// <summary>
/// The tool and the pipeline run the same workflow: the same partials and options give the same model and the same
/// predictions through <c>clv train</c> on a folder and through the training job and the shard scorer on Azurite.
/// </summary>
public sealed class SameModelTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-same-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task SameModelLocallyAndInAzure()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var connection = AzuriteFixture.ConnectionString;

        // One export, featurized once: the tool reads the folder, the pipeline the same bytes in container 'features'.
        var export = Path.Combine(_directory.FullName, "orders.csv");
        SyntheticExportGenerator.WriteFile(export, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = 400, Seed = 11 }, cancellationToken);
        var featurized = Path.Combine(_directory.FullName, "featurized");
        Assert.Equal(ExitCodes.Success, CliApp.Run(["featurize", "--input", export, "--output", featurized, "--bucket", "day"], new TestConsole()));
        var features = Path.Combine(featurized, "features");

        // The same settings, as the tool's flags and as the host's configuration keys.
        string[] flags = ["--steps", "16", "--horizon", "8", "--cutoffs", "1", "--origins", "2", "--epochs", "2", "--hidden", "8", "--learning-rate", "0.002", "--batch-size", "64", "--threads", "2"];
        var prefix = AzuriteFixture.UniqueName("same")[..14];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clv:Storage:ConnectionString"] = connection,
            ["Clv:Storage:NamePrefix"] = prefix,
            ["Clv:Features:SequenceLength"] = "16",
            ["Clv:Features:HorizonBuckets"] = "8",
            ["Clv:Features:Cutoffs"] = "1",
            ["Clv:Features:Origins"] = "2",
            ["Clv:Training:Epochs"] = "2",
            ["Clv:Training:HiddenSize"] = "8",
            ["Clv:Training:LearningRate"] = "0.002",
            ["Clv:Training:BatchSize"] = "64",
            ["Clv:Training:ThreadCount"] = "2",
            ["Clv:Scoring:ShardCount"] = "4",
        }).Build();

        // The tool's path: clv train on the folder (build, export, score every customer with ONNX Runtime).
        var local = Path.Combine(_directory.FullName, "local");
        Assert.Equal(ExitCodes.Success, CliApp.Run(["train", "--features", features, "--output", local, "--json", .. flags], new TestConsole()));
        var localOnnx = await File.ReadAllBytesAsync(Path.Combine(local, "model", "model.onnx"), cancellationToken);
        var localPredictions = await ReadPredictionsAsync(Path.Combine(local, "predictions.parquet"), cancellationToken);

        // The pipeline's path: the training job, then the score-shards fan-out drained by the shard scorer.
        var services = new ServiceCollection().AddLogging().AddClvPipeline(configuration).AddClvModeling().BuildServiceProvider();
        await using var scope = services.ConfigureAwait(false);
        var storage = services.GetRequiredService<ClvStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        foreach (var file in Directory.EnumerateFiles(features, "*.parquet"))
        {
            await storage.Features.GetBlobClient(Path.GetFileName(file)).UploadAsync(file, overwrite: true, cancellationToken);
        }

        var trained = await services.GetRequiredService<TrainJob>().RunAsync(cancellationToken);
        var version = Assert.IsType<string>(trained.ModelVersion);
        var azureOnnx = (await storage.Models.GetBlobClient($"{version}/model.onnx").DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        if (trained.ScoredVersion is null)
        {
            // A first model that is not promoted is not scored by the run; score it as the fan-out would.
            await services.GetRequiredService<ScoreFanOutJob>().RunAsync(version, OnnxModelInfo.Read(azureOnnx, "azure").Metadata.AsOf, cancellationToken);
        }

        await services.GetRequiredService<ScoreQueueWorker>().DrainAsync(cancellationToken: cancellationToken);
        var azurePredictions = await storage.Predictions.QueryAsync<PredictionEntity>(cancellationToken: cancellationToken)
            .ToDictionaryAsync(p => p.CustomerId, p => new[] { (float)p.Clv, (float)p.PPurchase, (float)p.ClvP10!, (float)p.ClvP50!, (float)p.ClvP90! }, StringComparer.Ordinal, cancellationToken);

        // The same options reached both builds.
        var bound = ClvOptionsValidator.Load(configuration).Model;
        var toolOptions = new Local.ModelOptionSet();
        var command = new System.CommandLine.RootCommand();
        foreach (var option in toolOptions.All)
        {
            command.Options.Add(option);
        }

        Assert.Equal(bound, toolOptions.Bind(command.Parse(flags)));

        // Identical weights, and an identical graph and metadata but for the version.
        var localModel = ModelProto.Parser.ParseFrom(localOnnx);
        var azureModel = ModelProto.Parser.ParseFrom(azureOnnx);
        Assert.Equal(localModel.Graph.Initializer.Count, azureModel.Graph.Initializer.Count);
        foreach (var (mine, theirs) in localModel.Graph.Initializer.Zip(azureModel.Graph.Initializer))
        {
            Assert.Equal(mine.Name, theirs.Name);
            Assert.True(mine.Equals(theirs), $"weights '{mine.Name}' differ");
        }

        Assert.Equal(localModel.Graph.ToByteArray(), azureModel.Graph.ToByteArray());
        Assert.Equal(Normalized(localModel).ToByteArray(), Normalized(azureModel).ToByteArray());

        // Identical predictions for every customer.
        Assert.NotEmpty(localPredictions);
        Assert.Equal(localPredictions.Keys.Order(StringComparer.Ordinal), azurePredictions.Keys.Order(StringComparer.Ordinal));
        foreach (var (customer, values) in localPredictions)
        {
            Assert.Equal(values, azurePredictions[customer]);
        }
    }

    /// <summary>The model without what names this build: the version (metadata and description).</summary>
    private static ModelProto Normalized(ModelProto model)
    {
        var copy = model.Clone();
        copy.DocString = string.Empty;
        foreach (var entry in copy.MetadataProps.Where(p => p.Key == OnnxMetadataKeys.ModelVersion))
        {
            entry.Value = string.Empty;
        }

        return copy;
    }

    private static async Task<Dictionary<string, float[]>> ReadPredictionsAsync(string path, CancellationToken cancellationToken)
    {
        using var file = File.OpenRead(path);
        var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken);
        await using var readerScope = reader;
        using var group = reader.OpenRowGroupReader(0);
        var rows = checked((int)group.RowCount);
        var fields = reader.Schema.GetDataFields();
        var ids = new string?[rows];
        await group.ReadAsync(fields[0], ids.AsMemory(), null, cancellationToken);
        var values = new float[5][];
        for (var column = 0; column < values.Length; column++)
        {
            values[column] = new float[rows];
            await group.ReadAsync(fields[column + 1], values[column].AsMemory(), null, cancellationToken);
        }

        return Enumerable.Range(0, rows).ToDictionary(i => ids[i]!, i => values.Select(v => v[i]).ToArray(), StringComparer.Ordinal);
    }
}
