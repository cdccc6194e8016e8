using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Clv.Modeling.Scoring;
using Clv.Modeling.Synthetic;
using Clv.Pipeline.Compact;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Adapters;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Logging.Abstractions;

// One stage of the pipeline per process, so that each stage's peak working set (VmHWM at exit) is its own:
//   generate CUSTOMERS DIR ROWS_PER_EXPORT   a generated shop cut into gzip exports of about ROWS_PER_EXPORT rows each
//   upload PREFIX DIR                        the exports into Azurite's exports container (not a measured stage)
//   featurize PREFIX PARALLEL                every export through FeaturizeJob, PARALLEL at once (host.json blobs maxDegreeOfParallelism)
//   compact PREFIX PARALLEL                  drains compact-shards with the compaction worker, PARALLEL messages at once
//   train PREFIX SAMPLE EPOCHS               TrainJob over the shard files: a sample of SAMPLE customers, EPOCHS epochs
//   score PREFIX PARALLEL [WRITES]           fan-out of 256 shards, drained PARALLEL messages at once: read own shard file, score, upsert;
//                                            WRITES "none" gives the predictions to a counting sink instead of the table (sizes whose writes are not measured)
//   drop PREFIX                              deletes the prefix's containers, tables and queues (frees the emulator between sizes)
//   ceiling PREFIX COUNT                     raw batch upserts of COUNT prediction rows (PredictionWriter, no scoring)
// Each prints one JSON line: stage, seconds, peakMiB and the stage's counts.
var stage = args[0];
var connection = Environment.GetEnvironmentVariable("CLV_BENCH_STORAGE");
var clock = Stopwatch.StartNew();
object detail = stage switch
{
    "generate" => Generate(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], int.Parse(args[3], CultureInfo.InvariantCulture)),
    "upload" => await UploadAsync(Storage(args[1]), args[2]),
    "featurize" => await FeaturizeAsync(Storage(args[1]), Options(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture)),
    "compact" => await CompactAsync(Storage(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture)),
    "train" => await TrainAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "score" => await ScoreAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.Length < 4 || args[3] != "none"),
    "drop" => await DropAsync(Storage(args[1])),
    "ceiling" => await CeilingAsync(Storage(args[1] + "ceil"), int.Parse(args[2], CultureInfo.InvariantCulture)),
    _ => throw new ArgumentException($"unknown stage '{stage}'"),
};
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(JsonSerializer.Serialize(new { stage, seconds = Math.Round(seconds, 2), peakMiB = PeakMiB(), detail }));

ClvOptions Options(string prefix, int sample = 500_000, int epochs = 20) => new()
{
    Storage = new StorageOptions { ConnectionString = connection ?? throw new InvalidOperationException("CLV_BENCH_STORAGE is not set (bench/scale/run.sh starts Azurite)."), NamePrefix = prefix },
    Training = new TrainingOptions { SampleCustomers = sample, ScoreAfterTraining = false },
    Model = new Clv.Modeling.Workflow.ModelBuildOptions { Trainer = new Clv.Modeling.Lstm.TrainerOptions { Epochs = epochs } },
};

ClvStorage Storage(string prefix) => new(Options(prefix).Storage);

// Peak resident set of this process in MiB: VmHWM of /proc/self/status.
static double PeakMiB()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return Math.Round(kib / 1024.0, 1);
        }
    }

    return double.NaN;
}

static object Generate(int customers, string directory, int rowsPerExport)
{
    Directory.CreateDirectory(directory);
    using var parts = new ExportSplitter(directory, rowsPerExport);
    var summary = SyntheticExportGenerator.Write(parts, new SyntheticExportOptions { Customers = customers, Seed = 7 });
    parts.Flush();
    return new { customers, rows = summary.Rows, exports = parts.Files };
}

static async Task<object> UploadAsync(ClvStorage storage, string directory)
{
    await storage.EnsureCreatedAsync();
    var files = Directory.GetFiles(directory, "*.csv.gz").Order(StringComparer.Ordinal).ToList();
    foreach (var file in files)
    {
        await storage.Exports.GetBlobClient(Path.GetFileName(file)).UploadAsync(file, overwrite: true);
    }

    return new { exports = files.Count, bytes = files.Sum(f => new FileInfo(f).Length) };
}

static async Task<object> FeaturizeAsync(ClvStorage storage, ClvOptions options, int parallel)
{
    var job = new FeaturizeJob(storage, new WorkflowExportFeaturizer(options), options, NullLogger<FeaturizeJob>.Instance);
    var names = await storage.Exports.GetBlobsAsync().Select(b => b.Name).ToListAsync();
    long rows = 0;
    await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (name, ct) =>
    {
        var result = await job.RunAsync(name, ct);
        if (result.Status is not (IngestionStatus.Succeeded or IngestionStatus.Skipped))
        {
            throw new InvalidOperationException($"{name}: {result.Status} {result.Error}");
        }

        Interlocked.Add(ref rows, result.Accepted);
    });
    return new { exports = names.Count, rows };
}

static async Task<object> CompactAsync(ClvStorage storage, int parallel)
{
    var worker = new CompactionQueueWorker(storage, new CompactionJob(storage, NullLogger<CompactionJob>.Instance), NullLogger<CompactionQueueWorker>.Instance);
    var messages = await worker.DrainAsync(parallel);
    var shards = await FeatureShardStore.ListAsync(storage);
    var poisoned = (await storage.CompactShardsPoison.PeekMessagesAsync(32)).Value.Length;
    if (poisoned > 0)
    {
        throw new InvalidOperationException($"{poisoned} compaction messages were poisoned");
    }

    return new { messages, shardFiles = shards.Count };
}

async Task<object> TrainAsync(string prefix, int sample, int epochs)
{
    var options = Options(prefix, sample, epochs);
    var storage = new ClvStorage(options.Storage);
    var fanOut = new ScoreFanOutJob(storage, options, NullLogger<ScoreFanOutJob>.Instance);
    var job = new TrainJob(storage, new WorkflowTrainer(NullLogger<WorkflowTrainer>.Instance), fanOut, new WorkflowSequenceSource(), options, NullLogger<TrainJob>.Instance);
    var outcome = await job.RunAsync();
    if (outcome.ModelVersion is null)
    {
        throw new InvalidOperationException($"training: {outcome.Reason}");
    }

    var run = (await storage.Runs.GetEntityAsync<RunEntity>(RunEntity.TrainKind, outcome.RunId)).Value;
    var asOf = DateOnly.ParseExact(run.AsOf!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    if (!outcome.Promoted)
    {
        // The benchmark scores with the model it trained, promoted or not.
        await new ModelStore(storage).WriteCurrentAsync(new ChampionPointer(outcome.ModelVersion, asOf, DateTimeOffset.UtcNow));
    }

    return new { version = outcome.ModelVersion, promoted = outcome.Promoted, customers = run.Customers, sample, epochs, asOf = run.AsOf };
}

async Task<object> ScoreAsync(string prefix, int parallel, bool tableWrites)
{
    var options = Options(prefix);
    var storage = new ClvStorage(options.Storage);
    var champion = await new ModelStore(storage).ReadCurrentAsync() ?? throw new InvalidOperationException("no champion: run the train stage first");
    var scorers = new ScorerCache(storage, new WorkflowScorerFactory(options, NullLogger<WorkflowScorerFactory>.Instance));
    var sink = tableWrites ? null : new CountingSink();
    var job = new ShardScoreJob(storage, new WorkflowSequenceSource(), scorers, options, NullLogger<ShardScoreJob>.Instance, sink: sink);
    var worker = new ScoreQueueWorker(storage, job, NullLogger<ScoreQueueWorker>.Instance);
    await new ScoreFanOutJob(storage, options, NullLogger<ScoreFanOutJob>.Instance).RunAsync(champion.Version, champion.AsOf);
    var messages = await worker.DrainAsync(parallel);
    var runs = await storage.Runs.QueryAsync<RunEntity>(r => r.PartitionKey == RunEntity.ShardKind).ToListAsync();
    var predictions = runs.Where(r => r.ModelVersion == champion.Version).Sum(r => r.Customers);
    return new { messages, predictions, shards = runs.Count, tableWrites };
}

static async Task<object> DropAsync(ClvStorage storage)
{
    var names = storage.Names;
    var containers = new[] { storage.Exports, storage.Features, storage.Rejected, storage.Models };
    foreach (var container in containers)
    {
        await container.DeleteIfExistsAsync();
    }

    foreach (var table in new[] { storage.Predictions, storage.Ingestions, storage.Runs })
    {
        await table.DeleteAsync();
    }

    foreach (var queue in new[] { storage.ScoreShards, storage.ScoreShardsPoison, storage.CompactShards, storage.CompactShardsPoison })
    {
        await queue.DeleteIfExistsAsync();
    }

    return new { prefix = names.Exports };
}

static async Task<object> CeilingAsync(ClvStorage storage, int count)
{
    // A table of its own in the same Azurite, written by the same writer (entity-group batches, 8 in flight).
    var table = storage.Predictions;
    await table.CreateIfNotExistsAsync();
    var random = new Random(42);
    var asOf = new DateOnly(2024, 12, 29);
    var scoredAt = DateTimeOffset.UtcNow;
    var rows = Enumerable.Range(0, count)
        .Select(i => PredictionEntity.Create($"C{i:D8}", new ClvPrediction((float)(random.NextDouble() * 500), (float)random.NextDouble(), 0f, 50f, 900f), "ceiling", asOf, scoredAt))
        .ToList();
    var clock = Stopwatch.StartNew();
    var written = await PredictionWriter.UpsertAsync(table, rows);
    var seconds = clock.Elapsed.TotalSeconds;
    return new { rows = written, upsertSeconds = Math.Round(seconds, 2), rowsPerSecond = Math.Round(written / seconds, 1) };
}

/// <summary>Counts the predictions a shard would upsert; the table is left alone.</summary>
internal sealed class CountingSink : IPredictionSink
{
    private long _rows;

    public long Rows => Interlocked.Read(ref _rows);

    public Task<long> UpsertAsync(IReadOnlyList<PredictionEntity> predictions, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _rows, predictions.Count);
        return Task.FromResult((long)predictions.Count);
    }
}

/// <summary>Cuts the generated CSV at line ends into gzip files of about <c>rowsPerFile</c> rows, each starting with the header.</summary>
internal sealed class ExportSplitter(string directory, int rowsPerFile) : Stream
{
    private readonly List<byte> _header = [];
    private bool _headerDone;
    private Stream? _current;
    private int _rows;

    public int Files { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            if (!_headerDone)
            {
                var end = buffer.IndexOf((byte)'\n');
                var take = end < 0 ? buffer.Length : end + 1;
                _header.AddRange(buffer[..take].ToArray());
                buffer = buffer[take..];
                _headerDone = end >= 0;
                continue;
            }

            if (_current is null)
            {
                var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"orders-{Files:D4}.csv.gz"));
                _current = new GZipStream(File.Create(path), CompressionLevel.Fastest);
                _current.Write(_header.ToArray());
                Files++;
                _rows = 0;
            }

            var newline = buffer.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _current.Write(buffer);
                return;
            }

            _current.Write(buffer[..(newline + 1)]);
            buffer = buffer[(newline + 1)..];
            if (++_rows >= rowsPerFile)
            {
                _current.Dispose();
                _current = null;
            }
        }
    }

    public override void Flush() => _current?.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }
}
