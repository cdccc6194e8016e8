using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Clv.Pipeline.Configuration;

namespace Clv.Pipeline.Storage;

/// <summary>
/// The storage account of the product: blob, table and queue clients built once from <see cref="StorageOptions"/>,
/// with retries of throttling and transient failures, and the containers, tables and queues of the design.
/// </summary>
public sealed class ClvStorage
{
    /// <summary>Read-ahead buffer of a blob read stream: 1 MiB.</summary>
    /// <remarks>
    /// The SDK's default of 4 MiB is rented per stream from the shared array pool, which keeps returned arrays per
    /// thread: a scoring process streaming shard file after shard file kept many of them alive between messages.
    /// </remarks>
    public const int ReadBufferBytes = 1 << 20;

    /// <summary>How every blob of the pipeline is streamed: <see cref="ReadBufferBytes"/> read ahead, optionally only while <paramref name="conditions"/> hold.</summary>
    public static BlobOpenReadOptions ReadOptions(BlobRequestConditions? conditions = null) =>
        new(allowModifications: false) { BufferSize = ReadBufferBytes, Conditions = conditions };

    /// <summary>Creates the clients; no request is sent until <see cref="EnsureCreatedAsync"/> or a job runs.</summary>
    /// <param name="options">Where the account is and how to reach it.</param>
    /// <param name="configureClient">Called on every client's options after the defaults, e.g. to add a pipeline policy.</param>
    public ClvStorage(StorageOptions options, Action<ClientOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Names = new StorageNames(options.NamePrefix);
        var blobOptions = Configure(new BlobClientOptions(), options, "blob", configureClient);
        var queueOptions = Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, options, "queue", configureClient);
        DefaultAzureCredential? credential = null;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
            Queues = new QueueServiceClient(options.ConnectionString, queueOptions);
        }
        else
        {
            if (options.BlobServiceUri is null || options.TableServiceUri is null || options.QueueServiceUri is null)
            {
                throw new ClvConfigurationException("Clv:Storage needs either ConnectionString or all of BlobServiceUri, TableServiceUri and QueueServiceUri.");
            }

            credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            });
            Blobs = new BlobServiceClient(options.BlobServiceUri, credential, blobOptions);
            Queues = new QueueServiceClient(options.QueueServiceUri, credential, queueOptions);
        }

        Exports = Blobs.GetBlobContainerClient(Names.Exports);
        Features = Blobs.GetBlobContainerClient(Names.Features);
        Rejected = Blobs.GetBlobContainerClient(Names.Rejected);
        Models = Blobs.GetBlobContainerClient(Names.Models);
        // One client per table, each with its own pipeline, so a retried request is counted under its table
        // (an entity-group transaction goes to $batch, whose URI names no table).
        TableClient TableFor(string table)
        {
            var tableClientOptions = Configure(new TableClientOptions(), options, "table", configureClient, table);
            return string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new TableClient(options.TableServiceUri!, table, credential!, tableClientOptions)
                : new TableClient(options.ConnectionString, table, tableClientOptions);
        }

        Predictions = TableFor(Names.Predictions);
        Ingestions = TableFor(Names.Ingestions);
        Runs = TableFor(Names.Runs);
        ScoreShards = Queues.GetQueueClient(Names.ScoreShards);
        ScoreShardsPoison = Queues.GetQueueClient(Names.ScoreShardsPoison);
        CompactShards = Queues.GetQueueClient(Names.CompactShards);
        CompactShardsPoison = Queues.GetQueueClient(Names.CompactShardsPoison);
    }

    /// <summary>The names in use.</summary>
    public StorageNames Names { get; }

    /// <summary>The blob service.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>The queue service.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Container <c>exports</c>.</summary>
    public BlobContainerClient Exports { get; }

    /// <summary>Container <c>features</c>.</summary>
    public BlobContainerClient Features { get; }

    /// <summary>Container <c>rejected</c>.</summary>
    public BlobContainerClient Rejected { get; }

    /// <summary>Container <c>models</c>.</summary>
    public BlobContainerClient Models { get; }

    /// <summary>Table <c>Predictions</c>.</summary>
    public TableClient Predictions { get; }

    /// <summary>Table <c>Ingestions</c>.</summary>
    public TableClient Ingestions { get; }

    /// <summary>Table <c>Runs</c>.</summary>
    public TableClient Runs { get; }

    /// <summary>Queue <c>score-shards</c>.</summary>
    public QueueClient ScoreShards { get; }

    /// <summary>Queue <c>score-shards-poison</c>.</summary>
    public QueueClient ScoreShardsPoison { get; }

    /// <summary>Queue <c>compact-shards</c>.</summary>
    public QueueClient CompactShards { get; }

    /// <summary>Queue <c>compact-shards-poison</c>.</summary>
    public QueueClient CompactShardsPoison { get; }

    /// <summary>Creates every container, table and queue that does not exist yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var tasks = new List<Task>
        {
            Exports.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Features.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Rejected.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Models.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Predictions.CreateIfNotExistsAsync(cancellationToken),
            Ingestions.CreateIfNotExistsAsync(cancellationToken),
            Runs.CreateIfNotExistsAsync(cancellationToken),
            ScoreShards.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            ScoreShardsPoison.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            CompactShards.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            CompactShardsPoison.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Queues.GetQueueClient(Names.ExportEvents).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
        };
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static T Configure<T>(T clientOptions, StorageOptions options, string service, Action<ClientOptions>? configure, string? table = null)
        where T : ClientOptions
    {
        // The SDK retry policy already retries 408, 429, 500, 502, 503 and 504 and honours Retry-After;
        // exponential backoff with our limits.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.MaxRetryDelay;
        clientOptions.AddPolicy(new RetryCountingPolicy(service, table), HttpPipelinePosition.PerRetry);
        configure?.Invoke(clientOptions);
        return clientOptions;
    }
}
