using Azure.Data.Tables;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Jobs;

namespace Clv.Pipeline.Tests.Storage;

/// <summary>The stored column names stay the published ones whatever the C# properties are called, against Azurite.</summary>
public class TableColumnNameTests
{
    [Fact]
    public async Task IngestionRow_StoresAcceptedRowsAsRows_AndTheBlobSizeAsBytes()
    {
        var harness = await PipelineHarness.CreateAsync();
        var entity = new IngestionEntity { PartitionKey = "orders.csv", RowKey = "etag", Status = "Succeeded", Accepted = 7, BlobBytes = 1234 };

        await harness.Storage.Ingestions.UpsertEntityAsync(entity, cancellationToken: TestContext.Current.CancellationToken);

        var raw = (await harness.Storage.Ingestions.GetEntityAsync<TableEntity>("orders.csv", "etag", cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal(7L, raw.GetInt64("Rows"));
        Assert.Equal(1234L, raw.GetInt64("Bytes"));
        var typed = (await harness.Storage.Ingestions.GetEntityAsync<IngestionEntity>("orders.csv", "etag", cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal((7L, 1234L), (typed.Accepted, typed.BlobBytes));
    }

    [Fact]
    public async Task ShardRunRow_StoresTheFanOutAsShards_AndItsOwnIndexApart()
    {
        var harness = await PipelineHarness.CreateAsync();
        var entity = new RunEntity { PartitionKey = RunEntity.ShardKind, RowKey = "run", Status = "Succeeded", ShardCount = 16, ShardIndex = 3 };

        await harness.Storage.Runs.UpsertEntityAsync(entity, cancellationToken: TestContext.Current.CancellationToken);

        var raw = (await harness.Storage.Runs.GetEntityAsync<TableEntity>(RunEntity.ShardKind, "run", cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal(16, raw.GetInt32("Shards"));
        Assert.Equal(3, raw.GetInt32("ShardIndex"));
        var typed = (await harness.Storage.Runs.GetEntityAsync<RunEntity>(RunEntity.ShardKind, "run", cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal((16, 3), (typed.ShardCount, typed.ShardIndex));
    }
}
