using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs.Models;
using Clv.Modeling.Features;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Adapters;
using Clv.Pipeline.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>Exports and timings as production sends them, through the real featurizer into Azurite.</summary>
public class HostileIngestTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] Gzip(string text, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static async Task<PartialAggregates> ReadPartialAsync(PipelineHarness harness, string name)
    {
        var content = await harness.Storage.Features.GetBlobClient(name).DownloadContentAsync(Token);
        using var stream = content.Value.Content.ToStream();
        return await PartialAggregates.ReadParquetAsync(stream, Token);
    }

    [Fact]
    public async Task GuestRows_AreCountedAsSkippedInTheIngestionsRow_NotTowardTheThreshold()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        await harness.UploadAsync("retail.csv", "customer_id,date,amount\nc1,2026-01-01,1\n,2026-01-01,9\nc2,2026-01-02,2\nc3,2026-01-03,3\n,2026-01-03,9\nc1,2026-01-04,4\nc2,2026-01-05,5\nc3,2026-01-06,6\n");

        var result = await harness.Featurize.RunAsync("retail.csv", Token);

        Assert.Equal(IngestionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Skipped);
        var row = Assert.Single(await harness.IngestionsAsync());
        Assert.Equal(6, row.Accepted);
        Assert.Equal(0, row.Rejected);
        Assert.Equal(2, row.Skipped);
        Assert.StartsWith("no customer id (guest order)", row.SkippedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRows_AreRejectedWithReasons_AndGoodRowsOfTheSameFileStillCount()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var good = string.Concat(Enumerable.Range(0, 20).Select(i => $"c{i},2026-01-{1 + i:00},10\n"));
        await harness.UploadAsync("orders.csv", "customer_id,date,amount\n" + good + "c98,2099-01-05,10\nc99,2026-01-01,5e9\n");

        var result = await harness.Featurize.RunAsync("orders.csv", Token);

        Assert.Equal(IngestionStatus.Succeeded, result.Status);
        Assert.Equal(20, result.Accepted);
        var rejected = (await harness.Storage.Rejected.GetBlobClient("orders.csv").DownloadContentAsync(Token)).Value.Content.ToString();
        Assert.Contains("\n22,\"date '2099-01-05' in column 'date' is after the time of ingestion", rejected, StringComparison.Ordinal);
        Assert.Contains("\n23,", rejected, StringComparison.Ordinal);
        Assert.Contains("amount '5e9' in column 'amount' is beyond the limit of 1000000000 (MaxAmount)", rejected, StringComparison.Ordinal);
        Assert.Equal(20, (await ReadPartialAsync(harness, "orders.parquet")).CustomerCount);
    }

    [Fact]
    public async Task ExportsWhoseNamesDifferByCaseOrExtension_NeverShareAPartial()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (first, _) = PipelineHarness.Export(1, 0, 10);
        var (second, _) = PipelineHarness.Export(2, 100, 30);
        await harness.UploadAsync("orders.csv", first);
        Assert.Equal(IngestionStatus.Succeeded, (await harness.Featurize.RunAsync("orders.csv", Token)).Status);

        var refused = new List<IngestionResult>();
        foreach (var name in new[] { "orders.CSV", "orders.txt", "orders.csv.gz" })
        {
            var blob = harness.Storage.Exports.GetBlobClient(name);
            await blob.UploadAsync(new BinaryData(name.EndsWith(".gz", StringComparison.Ordinal) ? Gzip(second) : Encoding.UTF8.GetBytes(second)), Token);
            refused.Add(await harness.Featurize.RunAsync(name, Token));
        }

        Assert.All(refused, r => Assert.Equal(IngestionStatus.Failed, r.Status));
        Assert.All(refused, r => Assert.Contains("already holds export 'orders.csv'", r.Error, StringComparison.Ordinal));
        Assert.Equal(["orders.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
        Assert.Equal(10, (await ReadPartialAsync(harness, "orders.parquet")).CustomerCount);
        var rows = await harness.IngestionsAsync();
        Assert.Equal(3, rows.Count(r => r.Status == nameof(IngestionStatus.Failed)));

        // A name that differs in its stem is another export with its own partial.
        await harness.UploadAsync("Orders.csv", second);
        Assert.Equal(IngestionStatus.Succeeded, (await harness.Featurize.RunAsync("Orders.csv", Token)).Status);
        Assert.Equal(30, (await ReadPartialAsync(harness, "Orders.parquet")).CustomerCount);
    }

    [Fact]
    public async Task ARunThatReadAnOlderVersion_NeverOverwritesThePartialOfANewerOne()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var gated = new GatedFeaturizer(new WorkflowExportFeaturizer(harness.Options));
        var slow = new FeaturizeJob(harness.Storage, gated, harness.Options, NullLogger<FeaturizeJob>.Instance);
        var (older, _) = PipelineHarness.Export(1, 0, 10);
        var (newer, _) = PipelineHarness.Export(2, 100, 25);
        await harness.UploadAsync("orders.csv", older);

        var slowRun = slow.RunAsync("orders.csv", Token);
        await gated.Read.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await harness.UploadAsync("orders.csv", newer);
        var fast = await harness.Featurize.RunAsync("orders.csv", Token);
        gated.Release.SetResult();
        var late = await slowRun;

        Assert.Equal(IngestionStatus.Succeeded, fast.Status);
        Assert.Equal(IngestionStatus.Skipped, late.Status);
        Assert.Equal(25, (await ReadPartialAsync(harness, "orders.parquet")).CustomerCount);
        BlobProperties properties = await harness.Storage.Features.GetBlobClient("orders.parquet").GetPropertiesAsync(cancellationToken: Token);
        Assert.Equal(fast.ETag.Trim('"'), properties.Metadata["sourceetag"]);
        var row = Assert.Single(await harness.IngestionsAsync());
        Assert.Equal(nameof(IngestionStatus.Succeeded), row.Status);
    }

    [Fact]
    public async Task TheSameExportFeaturizedTwiceAtOnce_IsWrittenOnceAndRecordedOnce()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, rows) = PipelineHarness.Export(3, 0, 40);
        await harness.UploadAsync("orders.csv", csv);

        var results = await Task.WhenAll(harness.Featurize.RunAsync("orders.csv", Token), harness.Featurize.RunAsync("orders.csv", Token));

        Assert.Contains(results, r => r.Status == IngestionStatus.Succeeded);
        var row = Assert.Single(await harness.IngestionsAsync());
        Assert.Equal(nameof(IngestionStatus.Succeeded), row.Status);
        Assert.Equal(rows, row.Accepted);
        Assert.Equal(40, (await ReadPartialAsync(harness, "orders.parquet")).CustomerCount);
    }

    [Fact]
    public async Task ADecompressionBomb_IsStoppedEarly_WithAFailedRowSayingWhy()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var bomb = new StringBuilder("customer_id,date,amount\n");
        for (var i = 0; i < 400_000; i++)
        {
            bomb.Append("c1,2026-01-01,1\n");
        }

        var compressed = Gzip(bomb.ToString(), CompressionLevel.SmallestSize);
        await harness.Storage.Exports.GetBlobClient("bomb.csv").UploadAsync(new BinaryData(compressed), Token);

        var result = await harness.Featurize.RunAsync("bomb.csv", Token);

        Assert.Equal(IngestionStatus.Failed, result.Status);
        Assert.Contains("expands more than 200 times its compressed size", result.Error, StringComparison.Ordinal);
        Assert.Contains("decompression bomb", result.Error, StringComparison.Ordinal);
        var row = Assert.Single(await harness.IngestionsAsync());
        Assert.Equal(result.Error, row.Error);
        Assert.Empty(await harness.BlobNamesAsync(harness.Storage.Features));
    }

    [Fact]
    public async Task GzipIsRecognisedByContent_NotByName()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, rows) = PipelineHarness.Export(4, 0, 12);
        await harness.Storage.Exports.GetBlobClient("plain.csv.gz").UploadAsync(BinaryData.FromString(csv), Token);
        await harness.Storage.Exports.GetBlobClient("packed.csv").UploadAsync(new BinaryData(Gzip(csv)), Token);

        var plain = await harness.Featurize.RunAsync("plain.csv.gz", Token);
        var packed = await harness.Featurize.RunAsync("packed.csv", Token);

        Assert.Equal((IngestionStatus.Succeeded, rows), (plain.Status, plain.Accepted));
        Assert.Equal((IngestionStatus.Succeeded, rows), (packed.Status, packed.Accepted));
    }

    [Fact]
    public async Task ACorruptGzipExport_LeavesAFailedRowWithTheReason()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, _) = PipelineHarness.Export(5, 0, 200);
        var bytes = Gzip(csv);
        Array.Fill(bytes, (byte)0x5A, 20, bytes.Length / 2);
        await harness.Storage.Exports.GetBlobClient("broken.csv.gz").UploadAsync(new BinaryData(bytes), Token);

        var result = await harness.Featurize.RunAsync("broken.csv.gz", Token);

        Assert.Equal(IngestionStatus.Failed, result.Status);
        Assert.StartsWith("broken.csv.gz: ", result.Error, StringComparison.Ordinal);
        var row = Assert.Single(await harness.IngestionsAsync());
        Assert.Equal(nameof(IngestionStatus.Failed), row.Status);
        Assert.False(string.IsNullOrWhiteSpace(row.Error));
    }

    [Fact]
    public async Task AReplayedShardOfAnOlderModel_WritesNothing()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, _) = PipelineHarness.Export(6, 0, 30);
        await harness.UploadAsync("orders.csv", csv);
        await harness.Featurize.RunAsync("orders.csv", Token);
        await new ModelStore(harness.Storage).WriteCurrentAsync(new ChampionPointer("20261101T000000Z-bbbb", new DateOnly(2026, 10, 31), DateTimeOffset.UtcNow), Token);

        var written = await harness.ShardScore.RunAsync(new Clv.Pipeline.Score.ScoreShardMessage("20261001T000000Z-aaaa", new DateOnly(2026, 9, 30), 0, PipelineHarness.ShardCount), Token);

        Assert.Equal(0, written);
        Assert.Empty(await harness.PredictionsAsync());
    }

    /// <summary>Featurizes with the real featurizer, then holds its result until released (a slow run).</summary>
    private sealed class GatedFeaturizer(IExportFeaturizer inner) : IExportFeaturizer
    {
        public TaskCompletionSource Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Stream partial, Stream rejected, CancellationToken cancellationToken = default)
        {
            var counts = await inner.FeaturizeAsync(export, exportName, partial, rejected, cancellationToken);
            Read.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return counts;
        }
    }
}
