using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;

namespace Clv.Pipeline.Tests.Jobs;

public class ResilienceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TransientFailuresOfTablesAndBlobs_AreRetried_WithNoRowLostOrDuplicated(bool failAfterSend)
    {
        var prefix = PipelineHarness.NewPrefix();
        var clean = await PipelineHarness.CreateAsync(prefix + "a");
        var faults = new FaultInjectionPolicy(everyNth: 3, afterSend: failAfterSend);
        var faulty = await PipelineHarness.CreateAsync(prefix + "b", o => o.AddPolicy(faults, Azure.Core.HttpPipelinePosition.PerRetry));
        var files = Enumerable.Range(0, 3).Select(i => PipelineHarness.Export(10 + i, i * 50, 60)).ToList();

        foreach (var harness in new[] { clean, faulty })
        {
            for (var i = 0; i < files.Count; i++)
            {
                await harness.UploadAsync($"orders-{i}.csv", files[i].Csv);
                Assert.Equal(IngestionStatus.Succeeded, (await harness.Featurize.RunAsync($"orders-{i}.csv", TestContext.Current.CancellationToken)).Status);
            }

            var outcome = await harness.Train.RunAsync(TestContext.Current.CancellationToken);
            await harness.Queue.DrainAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.NotNull(outcome.ModelVersion);
        }

        Assert.True(faults.Injected > 10, $"only {faults.Injected} faults were injected");
        var expected = (await clean.PredictionsAsync()).Select(p => (p.PartitionKey, p.CustomerId, p.Clv, p.PPurchase)).Order().ToList();
        var actual = (await faulty.PredictionsAsync()).Select(p => (p.PartitionKey, p.CustomerId, p.Clv, p.PPurchase)).Order().ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(files.Sum(f => f.Rows), (await faulty.IngestionsAsync()).Sum(i => i.Accepted));
    }

    [Fact]
    public async Task TenExportsFeaturizedConcurrently_GiveTheSameResultAsSequentially()
    {
        var prefix = PipelineHarness.NewPrefix();
        var sequential = await PipelineHarness.CreateAsync(prefix + "s");
        var concurrent = await PipelineHarness.CreateAsync(prefix + "c");
        var files = Enumerable.Range(0, 10).Select(i => PipelineHarness.Export(100 + i, i * 15, 30)).ToList();
        foreach (var harness in new[] { sequential, concurrent })
        {
            for (var i = 0; i < files.Count; i++)
            {
                await harness.UploadAsync($"orders-{i:d2}.csv", files[i].Csv);
            }
        }

        for (var i = 0; i < files.Count; i++)
        {
            await sequential.Featurize.RunAsync($"orders-{i:d2}.csv", TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(Enumerable.Range(0, files.Count).Select(i => concurrent.Featurize.RunAsync($"orders-{i:d2}.csv", TestContext.Current.CancellationToken)));
        await sequential.TrainAndScoreAsync();
        await concurrent.TrainAndScoreAsync();

        Assert.Equal(await PartialContents(sequential), await PartialContents(concurrent));
        static (string, double, double) Key(PredictionEntity p) => (p.CustomerId, p.Clv, p.PPurchase);
        Assert.Equal((await sequential.PredictionsAsync()).Select(Key).Order(), (await concurrent.PredictionsAsync()).Select(Key).Order());
        Assert.Equal((await sequential.IngestionsAsync()).Select(i => (i.PartitionKey, i.Accepted, i.Customers)).Order(), (await concurrent.IngestionsAsync()).Select(i => (i.PartitionKey, i.Accepted, i.Customers)).Order());
    }

    private static async Task<List<(string, string)>> PartialContents(PipelineHarness harness)
    {
        var result = new List<(string, string)>();
        foreach (var name in await harness.BlobNamesAsync(harness.Storage.Features))
        {
            var content = await harness.Storage.Features.GetBlobClient(name).DownloadContentAsync(TestContext.Current.CancellationToken);
            result.Add((name, content.Value.Content.ToString()));
        }

        return result;
    }
}
