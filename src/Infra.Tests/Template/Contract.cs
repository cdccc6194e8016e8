namespace Clv.Infra.Tests.Template;

/// <summary>Names the template shares with the product and its operators; a change here is a contract change.</summary>
public static class Contract
{
    /// <summary>Product settings of every CLV host (Clv__Section__Key, bound to the options section Clv).</summary>
    public static readonly IReadOnlyList<string> ClvSettings =
    [
        "Clv__Storage__BlobServiceUri",
        "Clv__Storage__QueueServiceUri",
        "Clv__Storage__TableServiceUri",
        "Clv__Storage__ManagedIdentityClientId",
        "Clv__Storage__NamePrefix",
        "Clv__Features__Bucket",
        "Clv__Features__SequenceLength",
        "Clv__Features__HorizonBuckets",
        "Clv__Ingest__RejectedShareThreshold",
        "Clv__Ingest__CustomerIdKey",
        "Clv__Ingest__Currency",
        "Clv__Training__Schedule",
        "Clv__Scoring__ExecutionProvider",
    ];

    /// <summary>Identity-based host storage settings of the Functions runtime.</summary>
    public static readonly IReadOnlyList<string> HostStorageSettings =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
    ];

    /// <summary>Metrics the pipeline publishes (meter <c>Clv.Pipeline</c>) and the workbook and alerts read.</summary>
    public static readonly IReadOnlyList<string> Metrics =
    [
        "clv.ingest.files",
        "clv.ingest.rows",
        "clv.ingest.rejected",
        "clv.train.runs",
        "clv.train.loss",
        "clv.model.gini",
        "clv.model.realized_gini",
        "clv.model.realized_coverage80",
        "clv.score.predictions",
        "clv.score.shard.duration",
        "clv.prediction.clv",
        "clv.prediction.band",
        "clv.table.retries",
    ];

    /// <summary>Blob containers of the storage contract (<c>StorageNames</c>).</summary>
    public static readonly IReadOnlyList<string> Containers = ["exports", "features", "rejected", "models"];

    /// <summary>Tables of the storage contract (<c>StorageNames</c>).</summary>
    public static readonly IReadOnlyList<string> Tables = ["Predictions", "Ingestions", "Runs"];

    /// <summary>Queues of the storage contract (<c>StorageNames</c>).</summary>
    public static readonly IReadOnlyList<string> Queues = ["score-shards", "compact-shards", "export-events"];

    /// <summary>Built-in Azure role definition ids.</summary>
    public static class Roles
    {
        public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
        public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

        public const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
        public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
        public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
        public const string StorageTableDataReader = "76199698-9eea-4c19-bc75-cec21354c6b6";
        public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
        public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
        public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
        public const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
        public const string StorageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab";
    }
}
