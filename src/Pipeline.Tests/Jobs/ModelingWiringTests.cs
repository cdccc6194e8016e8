using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>The jobs over the production Modeling ports: the export reader, Parquet partials, the sequence builder and ONNX Runtime.</summary>
public class ModelingWiringTests
{
    private const float RelativeTolerance = 1e-4f;

    /// <summary>Quantiles carry the conditioning of the inverse normal CDF near the zero mass (see the ONNX parity tests).</summary>
    private const float IntervalTolerance = 1e-3f;

    [Fact]
    public async Task RealExportsAndAnOnnxModel_GiveEveryCustomerThePredictionOfTheModel()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var files = new[] { PipelineHarness.Export(21, 0, 40), PipelineHarness.Export(22, 25, 40) };
        for (var i = 0; i < files.Length; i++)
        {
            await harness.UploadAsync($"orders-{i}.csv", files[i].Csv);
            var result = await harness.Featurize.RunAsync($"orders-{i}.csv", TestContext.Current.CancellationToken);
            Assert.Equal(IngestionStatus.Succeeded, result.Status);
            Assert.Equal(files[i].Rows, result.Accepted);
        }

        var asOf = new DateOnly(2026, 10, 31);
        var model = RandomModel("v-real", asOf, harness.Options.Model.SequenceLength);
        var models = new ModelStore(harness.Storage);
        await models.PublishAsync("v-real", OnnxModelWriter.ToBytes(model), [ReportFile.Text(EvaluationReport.MarkdownFileName, "text/markdown", "# Report\n")], TestContext.Current.CancellationToken);
        await harness.FanOut.RunAsync("v-real", asOf, TestContext.Current.CancellationToken);
        await harness.Queue.DrainAsync(cancellationToken: TestContext.Current.CancellationToken);

        var predictions = (await harness.PredictionsAsync()).ToDictionary(p => p.CustomerId, StringComparer.Ordinal);
        Assert.Equal(65, predictions.Count);
        var sequences = await new Clv.Pipeline.Adapters.WorkflowSequenceSource().FromPartialsAsync(
            await PartialStore.ListAsync(harness.Storage, TestContext.Current.CancellationToken), _ => true, asOf, model.Metadata, TestContext.Current.CancellationToken);
        var clv = new float[sequences.Count];
        var p = new float[sequences.Count];
        var p10 = new float[sequences.Count];
        var p50 = new float[sequences.Count];
        var p90 = new float[sequences.Count];
        model.Predict(sequences.Features, sequences.Lengths, clv, p, p10, p50, p90);
        for (var i = 0; i < sequences.Count; i++)
        {
            var row = predictions[sequences.CustomerIds[i]];
            Assert.Equal(clv[i], row.Clv, Math.Max(1e-6, Math.Abs(clv[i]) * RelativeTolerance));
            Assert.Equal(p[i], row.PPurchase, 1e-5);
            Assert.Equal(p10[i], row.ClvP10!.Value, Math.Max(1e-6, Math.Abs(p10[i]) * IntervalTolerance));
            Assert.Equal(p50[i], row.ClvP50!.Value, Math.Max(1e-6, Math.Abs(p50[i]) * IntervalTolerance));
            Assert.Equal(p90[i], row.ClvP90!.Value, Math.Max(1e-6, Math.Abs(p90[i]) * IntervalTolerance));
            Assert.Equal("v-real", row.ModelVersion);
        }
    }

    [Fact]
    public async Task TrainingWithTheLstmTrainer_PublishesAnEvaluatedModel_AndScoresEveryCustomer()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        using var export = new MemoryStream();
        var generated = Clv.Modeling.Synthetic.SyntheticExportGenerator.Write(export, new Clv.Modeling.Synthetic.SyntheticExportOptions { Mode = Clv.Modeling.Synthetic.SyntheticMode.BgNbd, Customers = 600, Weeks = 40, Seed = 3 }, TestContext.Current.CancellationToken);
        await harness.Storage.Exports.GetBlobClient("orders.csv").UploadAsync(new BinaryData(export.ToArray()), TestContext.Current.CancellationToken);
        Assert.Equal(IngestionStatus.Succeeded, (await harness.Featurize.RunAsync("orders.csv", TestContext.Current.CancellationToken)).Status);

        var outcome = await harness.Train.RunAsync(TestContext.Current.CancellationToken);
        await harness.Queue.DrainAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(outcome.ModelVersion);
        var metrics = await new ModelStore(harness.Storage).ReadMetricsAsync(outcome.ModelVersion, TestContext.Current.CancellationToken);
        Assert.Contains("bgnbd", metrics, StringComparison.Ordinal);
        Assert.Contains("lstm", metrics, StringComparison.Ordinal);
        var published = await harness.BlobNamesAsync(harness.Storage.Models);
        foreach (var file in new[] { "model.onnx", EvaluationReport.MarkdownFileName, EvaluationReport.HtmlFileName, EvaluationReport.MetricsFileName })
        {
            Assert.Contains($"{outcome.ModelVersion}/{file}", published);
        }

        var html = (await harness.Storage.Models.GetBlobClient($"{outcome.ModelVersion}/{EvaluationReport.HtmlFileName}").DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToString();
        Assert.Contains("<img alt=\"Gain curve\" src=\"data:image/png;base64,", html, StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse(metrics!))
        {
            Assert.True(json.RootElement.GetProperty("models").GetProperty("lstm").TryGetProperty("gini", out _));
        }

        var run = await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, outcome.RunId, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Succeeded", run.Value.Status);
        Assert.Equal(outcome.Promoted, run.Value.Promoted);
        if (outcome.Promoted)
        {
            Assert.Equal(generated.Customers, (await harness.PredictionsAsync()).Count);
        }
        else
        {
            Assert.Contains("Gini", outcome.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RealExportWithoutACustomerColumn_FailsWithTheReadersMessage()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        await harness.UploadAsync("nocustomer.csv", "when,what\n2026-01-01,3\n");

        var result = await harness.Featurize.RunAsync("nocustomer.csv", TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Failed, result.Status);
        Assert.Contains("nocustomer.csv", result.Error, StringComparison.Ordinal);
        Assert.Empty(await harness.BlobNamesAsync(harness.Storage.Features));
    }

    internal static ClvModel RandomModel(string version, DateOnly asOf, int sequenceLength)
    {
        var shape = new LstmShape(SequenceBuilder.FeatureCount, 8);
        var random = new Random(7);
        var buffer = new float[shape.ParameterCount];
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (float)((random.NextDouble() - 0.5) * 0.4);
        }

        var metadata = new ModelMetadata(version, SequenceBuilder.FeatureNames, BucketSize.Week, sequenceLength, 26, asOf);
        return new ClvModel(metadata, FeatureNormalizer.Identity(shape.FeatureCount), new LstmWeights(shape, buffer));
    }
}
