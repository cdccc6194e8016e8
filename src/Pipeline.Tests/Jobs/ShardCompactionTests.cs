using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Clv.Modeling.Onnx;
using Clv.Pipeline.Compact;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>Compaction of export partials into <c>features/shards/{partition}.parquet</c>, and scoring from those files, against Azurite.</summary>
public class ShardCompactionTests
{
    [Fact]
    public async Task CompactingTheSameExportTwice_ChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        await FeaturizeAsync(harness, ("orders-0.csv", PipelineHarness.Export(31, 0, 60).Csv), ("orders-1.csv", PipelineHarness.Export(32, 40, 60).Csv));
        Assert.Equal(2, await harness.CompactionQueue.DrainAsync(cancellationToken: ct));
        var before = await ShardStateAsync(harness);

        var again = await harness.Compaction.RunAsync(new CompactionMessage(ExportNames.PartialBlob("orders-0.csv")), ct);
        await harness.Featurize.RunAsync("orders-1.csv", ct);
        await harness.CompactionQueue.DrainAsync(cancellationToken: ct);

        Assert.Equal(0, again.ShardsWritten);
        Assert.True(again.Partitions > 0);
        Assert.Equal(before, await ShardStateAsync(harness));
    }

    [Fact]
    public async Task ShardFiles_HoldTheSumsOfEveryExport_AndDropADeletedExport()
    {
        var ct = TestContext.Current.CancellationToken;
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        await FeaturizeAsync(harness, ("orders-0.csv", PipelineHarness.Export(41, 0, 50).Csv), ("orders-1.csv", PipelineHarness.Export(42, 30, 50).Csv));
        await harness.CompactionQueue.DrainAsync(cancellationToken: ct);
        var partials = await PartialStore.ListAsync(harness.Storage, ct);
        var expected = await MergedAsync(partials);

        Assert.Equal(expected, await MergedAsync(await FeatureShardStore.ListAsync(harness.Storage, cancellationToken: ct)));

        await harness.Storage.Exports.DeleteBlobAsync("orders-1.csv", cancellationToken: ct);
        await harness.Featurize.DeleteAsync("orders-1.csv", ct);
        await harness.CompactionQueue.DrainAsync(cancellationToken: ct);

        var remaining = await MergedAsync(await PartialStore.ListAsync(harness.Storage, ct));
        Assert.Equal(remaining, await MergedAsync(await FeatureShardStore.ListAsync(harness.Storage, cancellationToken: ct)));
        Assert.Null(await FeatureShardStore.ReadManifestAsync(harness.Storage, ExportNames.PartialBlob("orders-1.csv"), ct));
    }

    [Fact]
    public async Task ScoringAShard_ReadsOnlyItsOwnShardFiles_AndScoresEachOfItsCustomers()
    {
        var ct = TestContext.Current.CancellationToken;
        var reads = new BlobReadRecorder();
        var harness = await PipelineHarness.CreateAsync(configureClient: o => o.AddPolicy(reads, HttpPipelinePosition.PerCall), modeling: true);
        await FeaturizeAsync(harness, ("orders-0.csv", PipelineHarness.Export(51, 0, 80).Csv), ("orders-1.csv", PipelineHarness.Export(52, 50, 80).Csv));
        await harness.CompactionQueue.DrainAsync(cancellationToken: ct);
        var asOf = new DateOnly(2026, 10, 31);
        var model = ModelingWiringTests.RandomModel("v-shard", asOf, harness.Options.Model.SequenceLength);
        var models = new ModelStore(harness.Storage);
        await models.PublishAsync("v-shard", OnnxModelWriter.ToBytes(model), [Clv.Modeling.Evaluation.ReportFile.Text(Clv.Modeling.Evaluation.EvaluationReport.MarkdownFileName, "text/markdown", "# Report\n")], ct);
        await models.WriteCurrentAsync(new ChampionPointer("v-shard", asOf, DateTimeOffset.UtcNow), ct);
        const int shard = 1;
        var expected = Enumerable.Range(0, 130).Select(PipelineHarness.CustomerId).Where(id => ShardKey.InShard(id, shard, PipelineHarness.ShardCount)).Order(StringComparer.Ordinal).ToList();
        reads.Clear();

        var written = await harness.ShardScore.RunAsync(new ScoreShardMessage("v-shard", asOf, shard, PipelineHarness.ShardCount), ct);

        var featureReads = reads.Paths.Where(p => p.StartsWith(harness.Storage.Names.Features + "/", StringComparison.Ordinal)).Select(p => p[(harness.Storage.Names.Features.Length + 1)..]).Distinct().ToList();
        Assert.True(featureReads.Count > 0, string.Join(", ", reads.Paths));
        Assert.All(featureReads, name => Assert.True(
            FeatureShardStore.PartitionOf(name) is var partition && partition >= 0 && partition % PipelineHarness.ShardCount == shard,
            $"shard {shard} read {name}"));
        Assert.Equal(expected.Count, written);
        Assert.Equal(expected, (await harness.PredictionsAsync()).Select(p => p.CustomerId).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task AShardOfSeveralWriteBatches_IsUpsertedABatchAtATime_AndItsSnapshotHoldsEveryPredictionInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var harness = await PipelineHarness.CreateAsync(
            modeling: true,
            configure: o => o with { Scoring = o.Scoring with { ShardCount = 1, WriteBatchCustomers = 100 }, Scorer = o.Scorer with { BatchSize = 16 } });
        await FeaturizeAsync(harness, ("orders-0.csv", PipelineHarness.Export(61, 0, 350).Csv));
        await harness.CompactionQueue.DrainAsync(cancellationToken: ct);
        var asOf = new DateOnly(2026, 10, 31);
        var model = ModelingWiringTests.RandomModel("v-batches", asOf, harness.Options.Model.SequenceLength);
        var models = new ModelStore(harness.Storage);
        await models.PublishAsync("v-batches", OnnxModelWriter.ToBytes(model), [Clv.Modeling.Evaluation.ReportFile.Text(Clv.Modeling.Evaluation.EvaluationReport.MarkdownFileName, "text/markdown", "# Report\n")], ct);
        var sink = new BatchRecordingSink();
        var job = new ShardScoreJob(harness.Storage, new Clv.Pipeline.Adapters.WorkflowSequenceSource(), new ScorerCache(harness.Storage, new Clv.Pipeline.Adapters.WorkflowScorerFactory(harness.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<Clv.Pipeline.Adapters.WorkflowScorerFactory>.Instance)), harness.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ShardScoreJob>.Instance, sink: sink);

        var written = await job.RunAsync(new ScoreShardMessage("v-batches", asOf, 0, 1), ct);

        var ids = sink.Batches.SelectMany(b => b).Select(p => p.CustomerId).ToList();
        Assert.Equal(350, written);
        Assert.Equal(Enumerable.Range(0, 350).Select(PipelineHarness.CustomerId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        // Every batch but the last holds the setting's 100 customers, give or take one scorer batch of 16.
        Assert.True(sink.Batches.Count >= 3, $"{sink.Batches.Count} batches");
        Assert.All(sink.Batches.SkipLast(1), b => Assert.InRange(b.Count, 100, 115));
        var blob = harness.Storage.Models.GetBlobClient(PredictionSnapshots.BlobName("v-batches", asOf, 0));
        var content = (await blob.DownloadContentAsync(ct)).Value.Content;
        await using var stream = content.ToStream();
        var (scores, version, snapshotAsOf) = await Clv.Modeling.Scoring.PredictionFiles.ReadParquetAsync(stream, blob.Name, ct);
        Assert.Equal(("v-batches", asOf), (version, snapshotAsOf));
        Assert.Equal(ids, scores.CustomerIds);
        Assert.Equal(sink.Batches.SelectMany(b => b).Select(p => p.Clv), scores.Clv.Select(v => (double)v));
        stream.Position = 0;
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream, cancellationToken: ct);
        Assert.Equal(sink.Batches.Count, reader.RowGroupCount);
    }

    private static async Task FeaturizeAsync(PipelineHarness harness, params (string Name, string Csv)[] exports)
    {
        foreach (var (name, csv) in exports)
        {
            await harness.UploadAsync(name, csv);
            var result = await harness.Featurize.RunAsync(name, TestContext.Current.CancellationToken);
            Assert.Equal(IngestionStatus.Succeeded, result.Status);
        }
    }

    /// <summary>Every shard file and manifest with its ETag.</summary>
    private static async Task<List<(string Name, string ETag)>> ShardStateAsync(PipelineHarness harness) =>
        await harness.Storage.Features.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, FeatureShardStore.Folder, TestContext.Current.CancellationToken)
            .Select(b => (b.Name, b.Properties.ETag!.Value.ToString()))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToListAsync(TestContext.Current.CancellationToken);

    /// <summary>(customer, bucket, spend, orders) of the merged sources, in order.</summary>
    private static async Task<List<(string, DateOnly, double, int)>> MergedAsync(IReadOnlyList<PartialSource> sources)
    {
        var parts = new List<Clv.Modeling.Features.PartialAggregates>();
        foreach (var source in sources)
        {
            await using var stream = await source.Open(TestContext.Current.CancellationToken);
            // A shard file is also a partials file: read as one, its cells are summed over the sources.
            parts.Add(await Clv.Modeling.Features.PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken));
        }

        var merged = Clv.Modeling.Features.PartialAggregates.Merge(parts);
        return Enumerable.Range(0, merged.Count).Select(i => (merged.CustomerIds[i], merged.BucketStarts[i], Math.Round(merged.NetSpend[i], 6), merged.Orders[i])).ToList();
    }

    /// <summary>Records the container/blob path of every blob read (GET or HEAD of one blob, not a listing).</summary>
    private sealed class BlobReadRecorder : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentQueue<string> _paths = new();

        public IEnumerable<string> Paths => _paths;

        public void Clear() => _paths.Clear();

        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            var query = request.Uri.Query;
            if ((request.Method == RequestMethod.Get || request.Method == RequestMethod.Head) && !query.Contains("comp=list", StringComparison.Ordinal) && !query.Contains("restype=container", StringComparison.Ordinal))
            {
                // Azurite's path-style URIs: /{account}/{container}/{blob}.
                var path = Uri.UnescapeDataString(request.Uri.Path).TrimStart('/');
                _paths.Enqueue(path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..]);
            }
        }
    }

    private sealed class BatchRecordingSink : IPredictionSink
    {
        public List<List<PredictionEntity>> Batches { get; } = [];

        public Task<long> UpsertAsync(IReadOnlyList<PredictionEntity> predictions, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. predictions]);
            }

            return Task.FromResult((long)predictions.Count);
        }
    }
}
