using System.Text.Json;
using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>Each training run judges the champion's predictions made one horizon earlier against what was spent since.</summary>
public class RealizedAccuracyTests
{
    // Weekly buckets, horizon 8: predictions made on Wednesday 2026-03-04 cover 2026-03-09 to 2026-05-03.
    private const string Before = "customer_id,date,amount\nc1,2026-03-04,10\nc2,2026-03-04,20\nc3,2026-03-04,30\nc4,2026-03-04,40\n";

    [Fact]
    public async Task Train_OnceTheHorizonHasPassed_RecordsRealizedGiniAndCoverageOfTheStoredPredictions()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("before.csv", Before);
        await harness.Featurize.RunAsync("before.csv", TestContext.Current.CancellationToken);
        var first = await harness.TrainAndScoreAsync();
        var stored = await harness.BlobNamesAsync(harness.Storage.Models);
        Assert.Contains(stored, name => name.StartsWith($"{first.ModelVersion}/predictions/2026-03-04/", StringComparison.Ordinal));

        // Spend in the window ranks as predicted (clv = half the spend before); c4 spends above its P90 (its spend before).
        await harness.UploadAsync("after.csv", "customer_id,date,amount\nc1,2026-04-01,5\nc2,2026-04-01,15\nc3,2026-04-01,25\nc4,2026-04-01,50\nlate,2026-05-10,1\n");
        await harness.Featurize.RunAsync("after.csv", TestContext.Current.CancellationToken);
        var second = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        var run = (await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, second.RunId, cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal("2026-03-04", run.RealizedAsOf);
        Assert.Equal(1.0, run.RealizedGini!.Value, 1e-9);
        Assert.Equal(0.75, run.RealizedCoverage80!.Value, 1e-9);
        using var json = JsonDocument.Parse(run.RealizedMetricsJson!);
        Assert.Equal(first.ModelVersion, json.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("customers").GetInt32());
        Assert.Equal("2026-03-09", json.RootElement.GetProperty("windowStart").GetString());
        Assert.Equal("2026-05-03", json.RootElement.GetProperty("windowEnd").GetString());
    }

    [Fact]
    public async Task Train_BeforeTheHorizonHasPassed_RecordsNoRealizedAccuracy()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("before.csv", Before);
        await harness.Featurize.RunAsync("before.csv", TestContext.Current.CancellationToken);
        await harness.TrainAndScoreAsync();
        // Data ends on 2026-04-01, inside the window: the outcome is not known yet.
        await harness.UploadAsync("after.csv", "customer_id,date,amount\nc1,2026-04-01,5\n");
        await harness.Featurize.RunAsync("after.csv", TestContext.Current.CancellationToken);

        var second = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        var run = (await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, second.RunId, cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal("Succeeded", run.Status);
        Assert.Null(run.RealizedGini);
        Assert.Null(run.RealizedMetricsJson);
    }
}
