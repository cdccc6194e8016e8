using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Clv.Pipeline.Compact;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Clv.Pipeline.Tests.Storage;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>The jobs over a fresh, uniquely prefixed set of containers, tables and queues in Azurite.</summary>
internal sealed class PipelineHarness
{
    public const int ShardCount = 4;

    private PipelineHarness(ClvOptions options, ClvStorage storage, bool modeling = false)
    {
        Options = options;
        Storage = storage;
        Scorers = new TestScorerFactory();
        IBatchScorerFactory factory = modeling ? new Clv.Pipeline.Adapters.WorkflowScorerFactory(options, NullLogger<Clv.Pipeline.Adapters.WorkflowScorerFactory>.Instance) : Scorers;
        var cache = new ScorerCache(storage, factory);
        IExportFeaturizer featurizer = modeling ? new Clv.Pipeline.Adapters.WorkflowExportFeaturizer() : new TestFeaturizer();
        ISequenceSource sequences = modeling ? new Clv.Pipeline.Adapters.WorkflowSequenceSource() : new TestSequenceSource();
        Featurize = new FeaturizeJob(storage, featurizer, options, NullLogger<FeaturizeJob>.Instance);
        FanOut = new ScoreFanOutJob(storage, options, NullLogger<ScoreFanOutJob>.Instance);
        ShardScore = new ShardScoreJob(storage, sequences, cache, options, NullLogger<ShardScoreJob>.Instance);
        IModelTrainer trainer = modeling ? new Clv.Pipeline.Adapters.WorkflowTrainer(NullLogger<Clv.Pipeline.Adapters.WorkflowTrainer>.Instance) : new TestTrainer();
        Train = new TrainJob(storage, trainer, FanOut, sequences, options, NullLogger<TrainJob>.Instance);
        Queue = new ScoreQueueWorker(storage, ShardScore, NullLogger<ScoreQueueWorker>.Instance);
        Compaction = new CompactionJob(storage, NullLogger<CompactionJob>.Instance);
        CompactionQueue = new CompactionQueueWorker(storage, Compaction, NullLogger<CompactionQueueWorker>.Instance);
    }

    public ClvOptions Options { get; }

    public ClvStorage Storage { get; }

    public TestScorerFactory Scorers { get; }

    public FeaturizeJob Featurize { get; }

    public ScoreFanOutJob FanOut { get; }

    public ShardScoreJob ShardScore { get; }

    public TrainJob Train { get; }

    public ScoreQueueWorker Queue { get; }

    public CompactionJob Compaction { get; }

    public CompactionQueueWorker CompactionQueue { get; }

    public static string NewPrefix() => AzuriteFixture.UniqueName("t")[..13];

    public static ClvOptions OptionsFor(string prefix) => new()
    {
        Storage = new StorageOptions
        {
            ConnectionString = AzuriteFixture.ConnectionString,
            NamePrefix = prefix,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetries = 8,
        },
        Scoring = new ScoringOptions { ShardCount = ShardCount },
        Scorer = new Clv.Modeling.Scoring.ScorerOptions { BatchSize = 64 },
        Model = new Clv.Modeling.Workflow.ModelBuildOptions
        {
            SequenceLength = 16,
            HorizonBuckets = 8,
            Trainer = new Clv.Modeling.Lstm.TrainerOptions { Epochs = 2, HiddenSize = 8, BatchSize = 64, LearningRate = 1e-3 },
        },
    };

    public static async Task<PipelineHarness> CreateAsync(string? prefix = null, Action<ClientOptions>? configureClient = null, bool modeling = false, Func<ClvOptions, ClvOptions>? configure = null)
    {
        var options = OptionsFor(prefix ?? NewPrefix());
        options = configure?.Invoke(options) ?? options;
        var storage = new ClvStorage(options.Storage, configureClient);
        await storage.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return new PipelineHarness(options, storage, modeling);
    }

    /// <summary>An export of <paramref name="customers"/> customers (ids from <paramref name="firstCustomer"/>), 1..3 rows each, fixed by <paramref name="seed"/>.</summary>
    public static (string Csv, int Rows) Export(int seed, int firstCustomer, int customers)
    {
        var random = new Random(seed);
        var text = new StringBuilder("customer_id,date,amount\n");
        var rows = 0;
        for (var c = 0; c < customers; c++)
        {
            var id = CustomerId(firstCustomer + c);
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                var date = new DateOnly(2026, 1, 1).AddDays(random.Next(0, 300));
                text.Append(CultureInfo.InvariantCulture, $"{id},{date:yyyy-MM-dd},{random.Next(1, 20000) / 100.0:F2}\n");
                rows++;
            }
        }

        return (text.ToString(), rows);
    }

    /// <summary>Customer ids, some with characters table keys forbid.</summary>
    public static string CustomerId(int index) => (index % 7) switch
    {
        0 => $"c/{index}#x",
        1 => $"c\\{index}?",
        2 => $"c%{index}",
        _ => $"c{index}",
    };

    public async Task UploadAsync(string name, string content) =>
        await Storage.Exports.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true, TestContext.Current.CancellationToken);

    public async Task<List<PredictionEntity>> PredictionsAsync() =>
        await Storage.Predictions.QueryAsync<PredictionEntity>(cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

    public async Task<List<IngestionEntity>> IngestionsAsync() =>
        await Storage.Ingestions.QueryAsync<IngestionEntity>(cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

    public async Task<List<string>> BlobNamesAsync(Azure.Storage.Blobs.BlobContainerClient container) =>
        await container.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken).Select(b => b.Name).ToListAsync(TestContext.Current.CancellationToken);

    /// <summary>Featurize, train (which fans out), and drain the queue.</summary>
    public async Task<TrainOutcome> TrainAndScoreAsync()
    {
        var outcome = await Train.RunAsync(TestContext.Current.CancellationToken);
        await Queue.DrainAsync(cancellationToken: TestContext.Current.CancellationToken);
        return outcome;
    }

    /// <summary>Predictions as comparable tuples, ordered.</summary>
    public static List<(string Pk, string Rk, double Clv, double P, string Version, string AsOf)> Comparable(IEnumerable<PredictionEntity> rows) =>
        rows.Select(p => (p.PartitionKey, p.RowKey, p.Clv, p.PPurchase, p.ModelVersion, p.AsOf)).OrderBy(t => t.PartitionKey, StringComparer.Ordinal).ThenBy(t => t.RowKey, StringComparer.Ordinal).ToList();

    public static TableClient Table(ClvStorage storage) => storage.Predictions;
}
