using System.Globalization;
using System.Text;
using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;

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
        Assert.Equal(4, json.RootElement.GetProperty("predictedCustomers").GetInt64());
        Assert.Equal(4, run.RealizedCustomers);
        Assert.Equal("2026-03-09", json.RootElement.GetProperty("windowStart").GetString());
        Assert.Equal("2026-05-03", json.RootElement.GetProperty("windowEnd").GetString());
    }

    [Fact]
    public async Task Train_WithASampleCapBelowThePredictedCustomers_JudgesExactlyTheSampledCustomers()
    {
        const int Customers = 8;
        const int Cap = 3;
        var harness = await PipelineHarness.CreateAsync(configure: o => o with { Training = o.Training with { SampleCustomers = Cap } });
        var before = new StringBuilder("customer_id,date,amount\n");
        var after = new StringBuilder("customer_id,date,amount\n");
        for (var k = 1; k <= Customers; k++)
        {
            // Odd customers spend inside [P10, P90] = [0, spend before]; even ones spend twice their P90.
            before.Append(CultureInfo.InvariantCulture, $"c{k},2026-03-04,{10 * k}\n");
            after.Append(CultureInfo.InvariantCulture, $"c{k},2026-04-01,{(k % 2 == 1 ? 5 * k : 20 * k)}\n");
        }

        // A purchase after the window ends, so the outcome is known.
        after.Append("late,2026-05-10,1\n");
        await harness.UploadAsync("before.csv", before.ToString());
        await harness.Featurize.RunAsync("before.csv", TestContext.Current.CancellationToken);
        await harness.TrainAndScoreAsync();
        await harness.UploadAsync("after.csv", after.ToString());
        await harness.Featurize.RunAsync("after.csv", TestContext.Current.CancellationToken);

        var second = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        // The training sample's rule: the Cap customers with the smallest XxHash64(id, Clv:Features:Seed).
        var sampled = Enumerable.Range(1, Customers)
            .Select(k => (Id: $"c{k}", Number: k))
            .OrderBy(c => CustomerSampler.Key(c.Id, harness.Options.Model.Seed))
            .Take(Cap)
            .ToList();
        var run = (await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, second.RunId, cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.True(run.Status == "Succeeded", run.Error);
        Assert.Equal("2026-03-04", run.RealizedAsOf);
        Assert.Equal(Cap, run.RealizedCustomers);
        Assert.Equal(sampled.Count(c => c.Number % 2 == 1) / (double)Cap, run.RealizedCoverage80!.Value, 1e-9);
        using var json = JsonDocument.Parse(run.RealizedMetricsJson!);
        Assert.Equal(Cap, json.RootElement.GetProperty("customers").GetInt32());
        Assert.Equal(Customers, json.RootElement.GetProperty("predictedCustomers").GetInt64());
        var predicted = sampled.Select(c => (double)TestScorerFactory.ExpectedClv(10 * c.Number)).ToArray();
        var actual = sampled.Select(c => (double)(c.Number % 2 == 1 ? 5 * c.Number : 20 * c.Number)).ToArray();
        var gini = Clv.Modeling.Evaluation.ClvMetrics.NormalizedGini(actual, predicted).Value;
        Assert.NotNull(gini);
        Assert.Equal(gini.Value, run.RealizedGini!.Value, 1e-9);
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
