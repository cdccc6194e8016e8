using Azure.Storage.Blobs;

namespace Clv.Pipeline.Tests.Storage;

public class AzuriteRoundTripTests
{
    [Fact]
    public async Task Blob_WrittenToAzurite_ReadsBackByteForByte()
    {
        var container = new BlobServiceClient(AzuriteFixture.ConnectionString).GetBlobContainerClient(AzuriteFixture.UniqueName("roundtrip"));
        await container.CreateAsync(cancellationToken: TestContext.Current.CancellationToken);
        var payload = "customer_id,date,amount\n42,2026-01-05,19.99\n"u8.ToArray();

        await container.GetBlobClient("exports/a.csv").UploadAsync(new BinaryData(payload), TestContext.Current.CancellationToken);
        var read = await container.GetBlobClient("exports/a.csv").DownloadContentAsync(TestContext.Current.CancellationToken);

        Assert.Equal(payload, read.Value.Content.ToArray());
    }
}
