using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Tests.Jobs;

public class TrainAndQueueTests
{
    [Fact]
    public async Task Train_PublishesTheModelFiles_PromotesIt_AndRecordsARun()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("a.csv", "customer_id,date,amount\nalice,2026-03-01,10.00\n");
        await harness.Featurize.RunAsync("a.csv", TestContext.Current.CancellationToken);

        var outcome = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        Assert.True(outcome.Promoted);
        var blobs = await harness.BlobNamesAsync(harness.Storage.Models);
        Assert.Equal(new[] { "current.json", $"{outcome.ModelVersion}/metrics.json", $"{outcome.ModelVersion}/model.onnx", $"{outcome.ModelVersion}/report.html", $"{outcome.ModelVersion}/report.md" }.Order(StringComparer.Ordinal), blobs.Order(StringComparer.Ordinal));
        var current = await new ModelStore(harness.Storage).ReadCurrentAsync(TestContext.Current.CancellationToken);
        Assert.Equal(outcome.ModelVersion, current?.Version);
        var run = await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, outcome.RunId, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Succeeded", run.Value.Status);
        Assert.Equal(PipelineHarness.ShardCount, (int)(await harness.Storage.ScoreShards.GetPropertiesAsync(TestContext.Current.CancellationToken)).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Train_WithNoPartials_RecordsAFailedRunSayingWhy()
    {
        var harness = await PipelineHarness.CreateAsync();

        var outcome = await harness.Train.RunAsync(TestContext.Current.CancellationToken);

        Assert.Null(outcome.ModelVersion);
        var run = await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, outcome.RunId, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Failed", run.Value.Status);
        Assert.Contains("No partials", run.Value.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedShardMessage_IsMovedToThePoisonQueue()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.Storage.ScoreShards.SendMessageAsync("{\"modelVersion\":\"v1\",\"asOf\":\"2026-01-01\",\"shard\":9,\"shardCount\":4}", TestContext.Current.CancellationToken);

        await harness.Queue.DrainAsync(cancellationToken: TestContext.Current.CancellationToken);

        var poisoned = await harness.Storage.ScoreShardsPoison.ReceiveMessageAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("\"shard\":9", poisoned.Value.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, (await harness.Storage.ScoreShards.GetPropertiesAsync(TestContext.Current.CancellationToken)).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task MalformedShardMessage_GivenToTheJobAsTheFunctionsTriggerDoes_IsPoisonedAtOnceWithoutThrowing()
    {
        var harness = await PipelineHarness.CreateAsync();

        var written = await harness.ShardScore.RunAsync("not a shard message", TestContext.Current.CancellationToken);

        Assert.Equal(0, written);
        var poisoned = await harness.Storage.ScoreShardsPoison.ReceiveMessageAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("not a shard message", poisoned.Value.MessageText);
    }

    [Fact]
    public async Task ShardScoring_WritesEachPartitionInBatchesOfAtMostOneHundred()
    {
        var harness = await PipelineHarness.CreateAsync();
        var (csv, _) = PipelineHarness.Export(7, 0, 900);
        await harness.UploadAsync("big.csv", csv);
        await harness.Featurize.RunAsync("big.csv", TestContext.Current.CancellationToken);

        await harness.TrainAndScoreAsync();

        var predictions = await harness.PredictionsAsync();
        Assert.Equal(900, predictions.Count);
        Assert.Equal(900, predictions.Select(p => p.RowKey).Distinct().Count());
        Assert.True(predictions.GroupBy(p => p.PartitionKey).Count() > 200, "customers spread over the partitions");
    }
}
