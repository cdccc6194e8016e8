using Clv.Modeling.Lstm;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Microsoft.Extensions.Configuration;

namespace Clv.Pipeline.Configuration;

/// <summary>
/// Every setting of the product, one section per concern, shared by the Functions app, the local host and
/// the CLI. Bound once from configuration keys <c>Clv:Section:Key</c> (environment <c>Clv__Section__Key</c>).
/// The model and the scorer are configured by the workflow's own records (<see cref="ModelBuildOptions"/>,
/// <see cref="TrainerOptions"/>, <see cref="ScorerOptions"/>), the ones the <c>clv</c> tool binds its flags to, so both
/// share one set of defaults and one validation.
/// </summary>
public sealed record ClvOptions
{
    /// <summary>The configuration section that holds these options.</summary>
    public const string SectionName = "Clv";

    /// <summary>Where the storage account is and how to reach it.</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>
    /// How a model is built: the time grid and the backtest from section <c>Clv:Features</c> (<c>Bucket</c>,
    /// <c>SequenceLength</c>, <c>HorizonBuckets</c>, and <c>TestShare</c>, <c>Seed</c>, <c>Origins</c>, <c>OriginStep</c>,
    /// <c>Cutoffs</c>, <c>CutoffStep</c>, <c>Seeds</c>, <c>BootstrapSamples</c>), the trainer
    /// (<see cref="ModelBuildOptions.Trainer"/>) from section <c>Clv:Training</c> (<c>HiddenSize</c>, <c>Epochs</c>,
    /// <c>BatchSize</c>, <c>LearningRate</c>, <c>Seed</c>, and every other <see cref="TrainerOptions"/> setting).
    /// </summary>
    [ConfigurationKeyName("Features")]
    public ModelBuildOptions Model { get; init; } = new();

    /// <summary>When training runs and what follows it.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>How scoring fans out.</summary>
    public ScoringOptions Scoring { get; init; } = new();

    /// <summary>How a model scores: section <c>Clv:Scoring</c> (<c>ExecutionProvider</c>, <c>BatchSize</c>, <c>IntraOpThreads</c>, <c>CudaDeviceId</c>).</summary>
    [ConfigurationKeyName("Scoring")]
    public ScorerOptions Scorer { get; init; } = new();

    /// <summary>How exports are accepted.</summary>
    public IngestOptions Ingest { get; init; } = new();

    /// <summary>Limits of the HTTP API.</summary>
    public HttpApiOptions Http { get; init; } = new();
}

/// <summary>The storage account: a connection string (Azurite, development) or service URIs with a managed identity.</summary>
public sealed record StorageOptions
{
    /// <summary>Connection string; when set, the URIs and identity are ignored. Setting <c>Clv:Storage:ConnectionString</c>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Blob service URI, e.g. <c>https://acct.blob.core.windows.net</c>. Setting <c>Clv:Storage:BlobServiceUri</c>.</summary>
    public Uri? BlobServiceUri { get; init; }

    /// <summary>Table service URI, e.g. <c>https://acct.table.core.windows.net</c>.</summary>
    public Uri? TableServiceUri { get; init; }

    /// <summary>Queue service URI, e.g. <c>https://acct.queue.core.windows.net</c>.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>Client id of a user-assigned managed identity; empty uses <c>DefaultAzureCredential</c>.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>
    /// Prefix put before every container, table and queue name (lowercase letters and digits), so several
    /// environments can share one account. Empty by default.
    /// </summary>
    public string NamePrefix { get; init; } = string.Empty;

    /// <summary>Retries of throttled (429) and transient (408, 500, 502, 503, 504) storage calls, with exponential backoff.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First backoff delay; doubles on each retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest backoff delay between two retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>When training runs and what follows it; the trainer's own settings share section <c>Clv:Training</c> (see <see cref="ClvOptions.Model"/>).</summary>
public sealed record TrainingOptions
{
    /// <summary>NCRONTAB schedule with seconds (the Functions timer format), e.g. <c>0 0 3 * * 1</c>: Mondays 03:00 UTC.</summary>
    public string Schedule { get; init; } = "0 0 3 * * 1";

    /// <summary>
    /// Most customers a training run learns from: a seeded sample (the split seed <c>Clv:Features:Seed</c>) of the
    /// customers, drawn while the shard files stream past one at a time (bottom-k by seeded hash, see
    /// <c>CustomerSampler</c>), so training memory is bounded by this cap and not by the number of customers. Every
    /// customer is still scored. The default fits a 4 GB instance (README, "Sizing").
    /// </summary>
    public int SampleCustomers { get; init; } = 50_000;

    /// <summary>Whether a finished training run fans out batch scoring with the champion right away.</summary>
    public bool ScoreAfterTraining { get; init; } = true;
}

/// <summary>How scoring fans out; the scorer's own settings share section <c>Clv:Scoring</c> (see <see cref="ClvOptions.Scorer"/>).</summary>
public sealed record ScoringOptions
{
    /// <summary>The largest shard count: one <c>Predictions</c> partition per two-hex-digit shard key.</summary>
    public const int PartitionCount = Storage.ShardKey.PartitionCount;

    /// <summary>
    /// Customers of a shard upserted together (and written as one row group of its prediction snapshot); the next batch
    /// is scored while this one is written. Sequences are built and scored <c>Clv:Scoring:BatchSize</c> customers at a
    /// time. Memory per shard is bounded by this (plus one row group of the shard file), not by the shard's size.
    /// </summary>
    public int WriteBatchCustomers { get; init; } = 8192;

    /// <summary>
    /// Messages of one fan-out on <c>score-shards</c>; a power of two in 1..256. Message <c>shard = s</c> scores the
    /// partitions whose number is congruent to <c>s</c> modulo this count; 256 gives one partition per message.
    /// </summary>
    public int ShardCount { get; init; } = PartitionCount;
}

/// <summary>How exports are accepted.</summary>
public sealed record IngestOptions
{
    /// <summary>A file whose rejected rows exceed this share of its data rows fails as a whole. In <c>[0, 1]</c>; default 0.2, as in the <c>clv</c> tool.</summary>
    public double RejectedShareThreshold { get; init; } = Clv.Modeling.Ingest.ExportReaderOptions.DefaultMaxRejectedShare;

    /// <summary>Rows whose absolute amount, quantity, or quantity x unit price exceeds this are rejected. Default 1e9, as in the <c>clv</c> tool.</summary>
    public double MaxAmount { get; init; } = Clv.Modeling.Ingest.ExportReaderOptions.DefaultMaxAmount;

    /// <summary>A gzip export that decompresses to more bytes fails. Default 64 GiB.</summary>
    public long MaxDecompressedBytes { get; init; } = Clv.Modeling.Ingest.ExportReaderOptions.DefaultMaxDecompressedBytes;

    /// <summary>A gzip export that expands more than this many times its compressed size fails. Default 200.</summary>
    public double MaxCompressionRatio { get; init; } = Clv.Modeling.Ingest.ExportReaderOptions.DefaultMaxCompressionRatio;

    /// <summary>
    /// The secret that keys customer ids which are e-mail addresses or phone numbers (HMAC-SHA256) before they reach
    /// partials, tables or logs; at least 16 bytes. In Azure a Key Vault reference. Without it, such exports fail.
    /// Setting <c>Clv:Ingest:CustomerIdKey</c>.
    /// </summary>
    public string? CustomerIdKey { get; init; }

    /// <summary>
    /// The one currency of the deployment (ISO 4217, e.g. <c>EUR</c>): rows in another are rejected with the reason, unless
    /// the export's mapping gives rates. When empty, each export counts in its most common currency. Setting <c>Clv:Ingest:Currency</c>.
    /// </summary>
    public string? Currency { get; init; }

    /// <summary>The hasher over <see cref="CustomerIdKey"/>, or <see langword="null"/> when no key is set.</summary>
    public Clv.Modeling.Ingest.CustomerIdHasher? CreateHasher() => string.IsNullOrEmpty(CustomerIdKey) ? null : new Clv.Modeling.Ingest.CustomerIdHasher(CustomerIdKey);

    /// <summary>Prints the settings without the key.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"RejectedShareThreshold = {RejectedShareThreshold}, CustomerIdKey = {(CustomerIdKey is null ? "(not set)" : "(set)")}, Currency = {Currency}, MaxAmount = {MaxAmount}, MaxDecompressedBytes = {MaxDecompressedBytes}, MaxCompressionRatio = {MaxCompressionRatio}");
        return true;
    }
}

/// <summary>Limits of the HTTP API.</summary>
public sealed record HttpApiOptions
{
    /// <summary>Largest accepted body of <c>POST /api/score</c>, in bytes; larger requests get 413.</summary>
    public int MaxScoreRequestBytes { get; init; } = 256 * 1024;

    /// <summary>Most transactions accepted in one live-scoring request.</summary>
    public int MaxTransactions { get; init; } = 10_000;

    /// <summary>How long the current model pointer is cached before <c>models/current.json</c> is read again.</summary>
    public TimeSpan ModelRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);
}
