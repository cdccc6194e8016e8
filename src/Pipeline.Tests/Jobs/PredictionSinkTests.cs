using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>A scoring shard given a prediction sink, against Azurite.</summary>
public class PredictionSinkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AShardScoredIntoASink_GivesItTheRowsTheTableWouldGet_AndWritesNoTableRow()
    {
        var harness = await PipelineHarness.CreateAsync();
        var (csv, _) = PipelineHarness.Export(71, 0, 40);
        await harness.UploadAsync("orders.csv", csv);
        await harness.Featurize.RunAsync("orders.csv", Token);
        var trained = await harness.Train.RunAsync(Token);
        await harness.Queue.DrainAsync(cancellationToken: Token);
        var table = await harness.PredictionsAsync();
        var asOf = DateOnly.ParseExact(table[0].AsOf!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var shard = Enumerable.Range(0, PipelineHarness.ShardCount)
            .First(s => table.Any(p => ShardKey.InShard(TableKey.Unescape(p.RowKey), s, PipelineHarness.ShardCount)));
        foreach (var row in table)
        {
            await harness.Storage.Predictions.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: Token);
        }

        var sink = new RecordingSink();
        var job = new ShardScoreJob(harness.Storage, new TestSequenceSource(), new ScorerCache(harness.Storage, harness.Scorers), harness.Options, NullLogger<ShardScoreJob>.Instance, sink: sink);
        var written = await job.RunAsync(new ScoreShardMessage(trained.ModelVersion!, asOf, shard, PipelineHarness.ShardCount), Token);

        var expected = table.Where(p => ShardKey.InShard(TableKey.Unescape(p.RowKey), shard, PipelineHarness.ShardCount)).ToList();
        Assert.Equal(expected.Count, written);
        Assert.Equal(PipelineHarness.Comparable(expected), PipelineHarness.Comparable(sink.Rows));
        Assert.Empty(await harness.PredictionsAsync());
    }

    private sealed class RecordingSink : IPredictionSink
    {
        public List<PredictionEntity> Rows { get; } = [];

        public Task<long> UpsertAsync(IReadOnlyList<PredictionEntity> predictions, CancellationToken cancellationToken)
        {
            lock (Rows)
            {
                Rows.AddRange(predictions);
            }

            return Task.FromResult((long)predictions.Count);
        }
    }
}
