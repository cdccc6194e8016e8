using System.Globalization;
using System.Text;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Clv.Pipeline.Tests.Doubles;
using Clv.Pipeline.Tests.Jobs;

namespace Clv.Pipeline.Tests.Telemetry;

/// <summary>The metric names and tags the deployed workbook and alerts query (infra/bicep) are what the jobs emit.</summary>
public class PipelineMetricsTests
{
    private const string Files = "clv.ingest.files";
    private const string Rows = "clv.ingest.rows";
    private const string Rejected = "clv.ingest.rejected";
    private const string Runs = "clv.train.runs";

    [Fact]
    public async Task Featurize_CountsEveryRowRead_AndTheRejectedOnes_UnderTheExportName()
    {
        var harness = await PipelineHarness.CreateAsync();
        var export = "meter" + harness.Options.Storage.NamePrefix;
        using var capture = new MeterCapture();
        await harness.UploadAsync(export + ".csv", Csv(goodRows: 20, badRows: 1));

        var result = await harness.Featurize.RunAsync(export + ".csv", TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Succeeded, result.Status);
        Assert.Equal(21, capture.Sum(Rows, ClvTelemetry.ExportTag, export));
        Assert.Equal(1, capture.Sum(Rejected, ClvTelemetry.ExportTag, export));
        var file = Assert.Single(capture.Where(Files, ClvTelemetry.ExportTag, export));
        Assert.Equal("succeeded", file.Tag(ClvTelemetry.StatusTag));
    }

    [Fact]
    public async Task Featurize_CountsAFailedFile_ItsRows_AndThenASkippedRerun()
    {
        var harness = await PipelineHarness.CreateAsync();
        var export = "failing" + harness.Options.Storage.NamePrefix;
        using var capture = new MeterCapture();
        await harness.UploadAsync(export + ".csv", Csv(goodRows: 1, badRows: 1));

        var first = await harness.Featurize.RunAsync(export + ".csv", TestContext.Current.CancellationToken);
        var second = await harness.Featurize.RunAsync(export + ".csv", TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Failed, first.Status);
        Assert.Equal(IngestionStatus.Skipped, second.Status);
        Assert.Equal(["failed", "skipped"], capture.Where(Files, ClvTelemetry.ExportTag, export).Select(m => m.Tag(ClvTelemetry.StatusTag)));
        Assert.Equal(2, capture.Sum(Rows, ClvTelemetry.ExportTag, export));
        Assert.Equal(1, capture.Sum(Rejected, ClvTelemetry.ExportTag, export));
    }

    [Fact]
    public async Task Train_CountsOnePromotedRun_WithLossAndGini_UnderItsModelVersion()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("a.csv", Csv(goodRows: 3, badRows: 0));
        await harness.Featurize.RunAsync("a.csv", TestContext.Current.CancellationToken);
        using var capture = new MeterCapture();

        var outcome = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        var version = Assert.IsType<string>(outcome.ModelVersion);
        var run = Assert.Single(capture.Where(Runs, ClvTelemetry.ModelVersionTag, version));
        Assert.Equal("promoted", run.Tag(ClvTelemetry.StatusTag));
        Assert.Equal(1.0, Assert.Single(capture.Where("clv.train.loss", ClvTelemetry.ModelVersionTag, version)).Value);
        Assert.Equal(0.5, Assert.Single(capture.Where("clv.model.gini", ClvTelemetry.ModelVersionTag, version)).Value);
    }

    [Fact]
    public async Task Train_WithNoPartials_CountsAFailedRun()
    {
        var harness = await PipelineHarness.CreateAsync();
        using var capture = new MeterCapture();

        var outcome = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        var run = Assert.Single(capture.Where(Runs, ClvTelemetry.ModelVersionTag, outcome.RunId));
        Assert.Equal("failed", run.Tag(ClvTelemetry.StatusTag));
    }

    [Fact]
    public async Task ShardScoring_RecordsEveryPredictionWritten_ItsClvAndItsBand()
    {
        var harness = await PipelineHarness.CreateAsync();
        var (csv, _) = PipelineHarness.Export(seed: 3, firstCustomer: 0, customers: 120);
        await harness.UploadAsync("scored.csv", csv);
        await harness.Featurize.RunAsync("scored.csv", TestContext.Current.CancellationToken);
        using var capture = new MeterCapture();

        var outcome = await harness.TrainAndScoreAsync();

        var version = Assert.IsType<string>(outcome.ScoredVersion);
        var predictions = await harness.PredictionsAsync();
        Assert.Equal(predictions.Count, capture.Sum("clv.score.predictions", ClvTelemetry.ModelVersionTag, version));
        Assert.Equal(PipelineHarness.ShardCount, capture.Where("clv.score.shard.duration", ClvTelemetry.ModelVersionTag, version).Count);
        Assert.Equal(
            predictions.Select(p => p.Clv).Order(),
            capture.Where("clv.prediction.clv", ClvTelemetry.ModelVersionTag, version).Select(m => m.Value).Order());
        var expectedBands = predictions.GroupBy(p => ClvBands.Of(p.Clv)).ToDictionary(g => g.Key, g => (double)g.Count(), StringComparer.Ordinal);
        var bands = capture.Where("clv.prediction.band", ClvTelemetry.ModelVersionTag, version)
            .GroupBy(m => m.Tag(ClvTelemetry.BandTag)!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value), StringComparer.Ordinal);
        Assert.Equal(expectedBands.OrderBy(kv => kv.Key, StringComparer.Ordinal), bands.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task RetriedTableRequests_AreCountedUnderTheirTable()
    {
        var faults = new FaultInjectionPolicy(everyNth: 2, afterSend: false);
        var harness = await PipelineHarness.CreateAsync(configureClient: o => o.AddPolicy(faults, Azure.Core.HttpPipelinePosition.PerRetry));
        using var capture = new MeterCapture();
        await harness.UploadAsync("r.csv", Csv(goodRows: 3, badRows: 0));

        await harness.Featurize.RunAsync("r.csv", TestContext.Current.CancellationToken);

        Assert.True(capture.Sum("clv.table.retries", ClvTelemetry.TableTag, harness.Storage.Names.Ingestions) >= 1, "a retried Ingestions request was counted");
    }

    private static string Csv(int goodRows, int badRows)
    {
        var text = new StringBuilder("customer_id,date,amount\n");
        for (var i = 0; i < goodRows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"c{i},2026-03-{1 + (i % 28):d2},{10 + i}.50\n");
        }

        for (var i = 0; i < badRows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"bad{i},not-a-date,1.00\n");
        }

        return text.ToString();
    }
}
