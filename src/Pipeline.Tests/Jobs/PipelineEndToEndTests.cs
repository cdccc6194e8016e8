using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;

namespace Clv.Pipeline.Tests.Jobs;

public class PipelineEndToEndTests
{
    private const double ClvTolerance = 1e-3;

    [Fact]
    public async Task ThreeExports_EveryCustomerGetsAPrediction_AndIngestionRowsSumToFileRows()
    {
        var harness = await PipelineHarness.CreateAsync();
        var files = new[] { PipelineHarness.Export(1, 0, 40), PipelineHarness.Export(2, 30, 40), PipelineHarness.Export(3, 60, 25) };
        for (var i = 0; i < files.Length; i++)
        {
            await harness.UploadAsync($"orders-{i}.csv", files[i].Csv);
            var result = await harness.Featurize.RunAsync($"orders-{i}.csv", TestContext.Current.CancellationToken);
            Assert.Equal(IngestionStatus.Succeeded, result.Status);
        }

        var outcome = await harness.TrainAndScoreAsync();

        var ingestions = await harness.IngestionsAsync();
        Assert.Equal(files.Sum(f => f.Rows), ingestions.Sum(i => i.Accepted));
        var expectedCustomers = Enumerable.Range(0, 85).Select(PipelineHarness.CustomerId).ToHashSet();
        var predictions = await harness.PredictionsAsync();
        Assert.Equal(expectedCustomers.Order(StringComparer.Ordinal), predictions.Select(p => p.CustomerId).Order(StringComparer.Ordinal));
        Assert.All(predictions, p =>
        {
            Assert.Equal(ShardKey.For(p.CustomerId), p.PartitionKey);
            Assert.Equal(outcome.ModelVersion, p.ModelVersion);
        });
    }

    [Fact]
    public async Task Predictions_CarryTheSpendOfEveryExportOfTheCustomer()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("a.csv", "customer_id,date,amount\nalice,2026-03-01,10.00\nbob,2026-03-02,4.00\n");
        await harness.UploadAsync("b.csv", "customer_id,date,amount\nalice,2026-04-01,30.00\n");
        await harness.Featurize.RunAsync("a.csv", TestContext.Current.CancellationToken);
        await harness.Featurize.RunAsync("b.csv", TestContext.Current.CancellationToken);

        await harness.TrainAndScoreAsync();

        var alice = (await harness.PredictionsAsync()).Single(p => p.CustomerId == "alice");
        Assert.Equal(TestScorerFactory.ExpectedClv(40.0), alice.Clv, ClvTolerance);
        Assert.Equal("2026-04-01", alice.AsOf);
    }

    [Fact]
    public async Task SameExportProcessedTwice_WritesNoSecondPartial_AndIdenticalPredictions()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("orders.csv", PipelineHarness.Export(4, 0, 30).Csv);
        await harness.Featurize.RunAsync("orders.csv", TestContext.Current.CancellationToken);
        var outcome = await harness.TrainAndScoreAsync();
        var partial = await harness.Storage.Features.GetBlobClient(ExportNames.PartialBlob("orders.csv")).GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken);
        var before = PipelineHarness.Comparable(await harness.PredictionsAsync());

        var second = await harness.Featurize.RunAsync("orders.csv", TestContext.Current.CancellationToken);
        await harness.FanOut.RunAsync(outcome.ModelVersion!, DateOnly.ParseExact(before[0].AsOf, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), TestContext.Current.CancellationToken);
        await harness.Queue.DrainAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Skipped, second.Status);
        var partialAfter = await harness.Storage.Features.GetBlobClient(ExportNames.PartialBlob("orders.csv")).GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(partial.Value.ETag, partialAfter.Value.ETag);
        Assert.Equal(["orders.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
        Assert.Single(await harness.IngestionsAsync());
        Assert.Equal(before, PipelineHarness.Comparable(await harness.PredictionsAsync()));
    }

    [Fact]
    public async Task ReuploadedExport_WithNewContent_ReplacesOnlyItsOwnPartial()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("a.csv", "customer_id,date,amount\nalice,2026-03-01,10.00\n");
        await harness.UploadAsync("b.csv", "customer_id,date,amount\nbob,2026-03-01,10.00\n");
        await harness.Featurize.RunAsync("a.csv", TestContext.Current.CancellationToken);
        await harness.Featurize.RunAsync("b.csv", TestContext.Current.CancellationToken);
        var bBefore = await harness.Storage.Features.GetBlobClient("b.parquet").GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken);

        await harness.UploadAsync("a.csv", "customer_id,date,amount\nalice,2026-03-01,50.00\n");
        var result = await harness.Featurize.RunAsync("a.csv", TestContext.Current.CancellationToken);
        await harness.TrainAndScoreAsync();

        Assert.Equal(IngestionStatus.Succeeded, result.Status);
        var bAfter = await harness.Storage.Features.GetBlobClient("b.parquet").GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(bBefore.Value.ETag, bAfter.Value.ETag);
        Assert.Equal(TestScorerFactory.ExpectedClv(50.0), (await harness.PredictionsAsync()).Single(p => p.CustomerId == "alice").Clv, ClvTolerance);
    }

    [Fact]
    public async Task GarbledExport_GivesAFailedIngestionWithAReadableError_AndLeavesTheRestUntouched()
    {
        var harness = await PipelineHarness.CreateAsync();
        var good = PipelineHarness.Export(5, 0, 20);
        await harness.UploadAsync("good.csv", good.Csv);
        var garbled = new byte[] { 0x00, 0xFF, 0x13, 0x37, 0x0A, 0x42, 0x42, 0x0A };
        await harness.Storage.Exports.GetBlobClient("garbled.csv").UploadAsync(new BinaryData(garbled), TestContext.Current.CancellationToken);

        var goodResult = await harness.Featurize.RunAsync("good.csv", TestContext.Current.CancellationToken);
        var bad = await harness.Featurize.RunAsync("garbled.csv", TestContext.Current.CancellationToken);
        await harness.TrainAndScoreAsync();

        Assert.Equal(IngestionStatus.Succeeded, goodResult.Status);
        Assert.Equal(IngestionStatus.Failed, bad.Status);
        var row = (await harness.IngestionsAsync()).Single(i => i.PartitionKey == "garbled.csv");
        Assert.Equal("Failed", row.Status);
        Assert.Contains("garbled.csv", row.Error, StringComparison.Ordinal);
        Assert.Contains("customer id column", row.Error, StringComparison.Ordinal);
        var original = await harness.Storage.Exports.GetBlobClient("garbled.csv").DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.Equal(garbled, original.Value.Content.ToArray());
        Assert.Equal(["good.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
        Assert.Equal(20, (await harness.PredictionsAsync()).Count);
    }

    [Fact]
    public async Task ExportOverTheRejectedThreshold_Fails_AndKeepsItsRejectedRows()
    {
        var harness = await PipelineHarness.CreateAsync();
        await harness.UploadAsync("messy.csv", "customer_id,date,amount\nalice,2026-03-01,10.00\nbob,yesterday,4.00\ncarol,2026-03-01,lots\n");

        var result = await harness.Featurize.RunAsync("messy.csv", TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Failed, result.Status);
        Assert.Contains("2 of 3 rows rejected", result.Error, StringComparison.Ordinal);
        Assert.Contains("Clv:Ingest:RejectedShareThreshold", result.Error, StringComparison.Ordinal);
        var rejected = (await harness.Storage.Rejected.GetBlobClient("messy.csv").DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToString();
        Assert.Contains("3,unparsable row,\"bob,yesterday,4.00\"", rejected, StringComparison.Ordinal);
        Assert.Empty(await harness.BlobNamesAsync(harness.Storage.Features));
    }

    [Fact]
    public async Task GzipExport_IsFeaturizedLikeThePlainFile()
    {
        var harness = await PipelineHarness.CreateAsync(modeling: true);
        var (csv, rows) = PipelineHarness.Export(6, 0, 10);
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(csv), TestContext.Current.CancellationToken);
        }

        await harness.Storage.Exports.GetBlobClient("orders.csv.gz").UploadAsync(new BinaryData(compressed.ToArray()), TestContext.Current.CancellationToken);

        var result = await harness.Featurize.RunAsync("orders.csv.gz", TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Succeeded, result.Status);
        Assert.Equal(rows, result.Accepted);
        Assert.Equal(["orders.parquet"], await harness.BlobNamesAsync(harness.Storage.Features));
    }
}
