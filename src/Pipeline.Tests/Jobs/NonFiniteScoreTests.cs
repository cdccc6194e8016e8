using Clv.Modeling.Features;
using Clv.Modeling.Model;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>A model that gives NaN or infinity for some customers, against Azurite.</summary>
public class NonFiniteScoreTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AShardWhoseModelGivesNaNForOneCustomer_WritesEveryOtherCustomer_AndNamesThatOneOnItsRunsRow()
    {
        var harness = await PipelineHarness.CreateAsync();
        var (csv, _) = PipelineHarness.Export(61, 0, 40);
        await harness.UploadAsync("orders.csv", csv);
        await harness.Featurize.RunAsync("orders.csv", Token);
        var trained = await harness.Train.RunAsync(Token);
        await harness.Queue.DrainAsync(cancellationToken: Token);
        var before = await harness.PredictionsAsync();
        Assert.Equal(40, before.Count);

        // The same champion again, scored by a model run that breaks on one customer.
        var broken = PipelineHarness.CustomerId(5);
        var brokenShard = Enumerable.Range(0, PipelineHarness.ShardCount).Single(s => ShardKey.InShard(broken, s, PipelineHarness.ShardCount));
        var job = new ShardScoreJob(harness.Storage, new TestSequenceSource(), new ScorerCache(harness.Storage, new NonFiniteFor(harness.Scorers, broken)), harness.Options, NullLogger<ShardScoreJob>.Instance);
        var asOf = DateOnly.ParseExact(before[0].AsOf!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var written = await job.RunAsync(new ScoreShardMessage(trained.ModelVersion!, asOf, brokenShard, PipelineHarness.ShardCount), Token);

        var inShard = before.Count(p => ShardKey.InShard(TableKey.Unescape(p.RowKey), brokenShard, PipelineHarness.ShardCount));
        Assert.Equal(inShard - 1, written);
        var after = await harness.PredictionsAsync();
        Assert.All(after, p => Assert.True(double.IsFinite(p.Clv) && double.IsFinite(p.PPurchase) && double.IsFinite(p.ClvP90!.Value), $"{p.RowKey}: {p.Clv}"));
        Assert.Equal(PipelineHarness.Comparable(before), PipelineHarness.Comparable(after));
        var runs = await harness.Storage.Runs.QueryAsync<RunEntity>(r => r.PartitionKey == RunEntity.ShardKind, cancellationToken: Token).ToListAsync(Token);
        var run = Assert.Single(runs, r => r.ShardIndex == brokenShard && r.Error is not null);
        Assert.Contains("1 customer(s) not scored", run.Error, StringComparison.Ordinal);
        Assert.Contains(broken, run.Error, StringComparison.Ordinal);
    }

    /// <summary>Scores through <paramref name="inner"/>, then gives NaN (and an infinite P90) for <paramref name="customerId"/>.</summary>
    private sealed class NonFiniteFor(IBatchScorerFactory inner, string customerId) : IBatchScorerFactory
    {
        public IBatchScorer Load(byte[] onnx) => new Scorer(inner.Load(onnx), customerId);

        private sealed class Scorer(IBatchScorer inner, string customerId) : IBatchScorer
        {
            public ModelMetadata Metadata => inner.Metadata;

            public void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90)
            {
                inner.Score(sequences, clv, pPurchase, clvP10, clvP50, clvP90);
                for (var i = 0; i < sequences.Count; i++)
                {
                    if (sequences.CustomerIds[i] == customerId)
                    {
                        clv[i] = float.NaN;
                        clvP90[i] = float.PositiveInfinity;
                    }
                }
            }

            public void Dispose() => inner.Dispose();
        }
    }
}
