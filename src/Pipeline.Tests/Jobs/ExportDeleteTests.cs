using Clv.LocalHost;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>A deleted export takes its outputs with it, through the real featurizer and Azurite.</summary>
public class ExportDeleteTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADeletedExport_LosesItsPartialAndRejectedRows_AndTrainingNoLongerCountsIt()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (a, _) = PipelineHarness.Export(1, 0, 10);
        var (b, _) = PipelineHarness.Export(2, 100, 10);
        await harness.UploadAsync("a.csv", a + "c-bad,2026-02-30,1\n");
        await harness.UploadAsync("b.csv", b + "c-bad,2026-02-30,1\n");
        await harness.Featurize.RunAsync("a.csv", Token);
        await harness.Featurize.RunAsync("b.csv", Token);

        await harness.Storage.Exports.GetBlobClient("a.csv").DeleteAsync(cancellationToken: Token);
        var result = await harness.Featurize.DeleteAsync("a.csv", Token);

        Assert.Equal(IngestionStatus.Deleted, result.Status);
        Assert.Equal(["b.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
        Assert.Equal(["b.csv"], await harness.BlobNamesAsync(harness.Storage.Rejected));
        Assert.Single(await PartialStore.ListAsync(harness.Storage, Token));
        var deleted = Assert.Single(await harness.IngestionsAsync(), r => r.Status == nameof(IngestionStatus.Deleted));
        Assert.Equal("a.csv: the export was deleted; removed " + harness.Storage.Names.Features + "/a.parquet and " + harness.Storage.Names.Rejected + "/a.csv.", deleted.Error);
    }

    [Fact]
    public async Task DeletingARefusedExport_LeavesThePartialOfTheExportItCollidedWith()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, _) = PipelineHarness.Export(3, 0, 10);
        await harness.UploadAsync("orders.csv", csv);
        await harness.UploadAsync("orders.CSV", csv);
        await harness.Featurize.RunAsync("orders.csv", Token);
        Assert.Equal(IngestionStatus.Failed, (await harness.Featurize.RunAsync("orders.CSV", Token)).Status);

        await harness.Storage.Exports.GetBlobClient("orders.CSV").DeleteAsync(cancellationToken: Token);
        await harness.Featurize.DeleteAsync("orders.CSV", Token);

        Assert.Equal(["orders.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
    }

    [Fact]
    public async Task AnExportThatExistsAgain_IsNotCleanedUp()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, _) = PipelineHarness.Export(4, 0, 10);
        await harness.UploadAsync("orders.csv", csv);
        await harness.Featurize.RunAsync("orders.csv", Token);

        var result = await harness.Featurize.DeleteAsync("orders.csv", Token);

        Assert.Equal(IngestionStatus.Skipped, result.Status);
        Assert.Equal(["orders.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
    }

    [Fact]
    public async Task TheLocalWatcher_SurvivesABadBlob_AndClearsUpAfterADeletedOne()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var watcher = new ExportWatcher(harness.Storage, harness.Featurize, new LocalHostOptions(), NullLogger<ExportWatcher>.Instance);
        var (csv, _) = PipelineHarness.Export(5, 0, 10);
        await harness.Storage.Exports.GetBlobClient("broken.csv.gz").UploadAsync(new BinaryData(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF }), Token);
        await harness.UploadAsync("orders.csv", csv);

        await watcher.ScanAsync(Token);
        await harness.Storage.Exports.GetBlobClient("orders.csv").DeleteAsync(cancellationToken: Token);
        await watcher.ScanAsync(Token);

        var rows = await harness.IngestionsAsync();
        Assert.Contains(rows, r => r.PartitionKey == "broken.csv.gz" && r.Status == nameof(IngestionStatus.Failed));
        Assert.Contains(rows, r => r.PartitionKey == "orders.csv" && r.Status == nameof(IngestionStatus.Succeeded));
        Assert.Contains(rows, r => r.PartitionKey == "orders.csv" && r.Status == nameof(IngestionStatus.Deleted));
        Assert.Empty(await harness.BlobNamesAsync(harness.Storage.Features));
    }

    [Fact]
    public void EventGridBlobDeleted_NamesTheExport()
    {
        const string Message = """
            [{"topic":"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st","subject":"/blobServices/default/containers/exports/blobs/2026/orders.csv.gz","eventType":"Microsoft.Storage.BlobDeleted","id":"1","data":{"api":"DeleteBlob"},"dataVersion":"","metadataVersion":"1","eventTime":"2026-11-30T00:00:00Z"}]
            """;

        Assert.Equal(new ExportEvent(ExportEvent.BlobDeleted, "2026/orders.csv.gz"), ExportEvent.Parse(Message, "exports"));
        Assert.Null(ExportEvent.Parse(Message, "other"));
        Assert.Throws<FormatException>(() => ExportEvent.Parse("{\"hello\":1}", "exports"));
        Assert.Throws<FormatException>(() => ExportEvent.Parse("not json", "exports"));
    }
}
