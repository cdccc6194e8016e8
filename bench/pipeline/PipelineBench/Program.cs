using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Data.Tables;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// Writes the same predictions for N customers with the pipeline's writer and with a one-by-one upsert loop,
// alternating rounds on fresh tables, and reports rows per second (median of the rounds).
var customers = int.Parse(args[0], CultureInfo.InvariantCulture);
var rounds = int.Parse(args[1], CultureInfo.InvariantCulture);
var output = args[2];
var connection = Environment.GetEnvironmentVariable("CLV_BENCH_STORAGE") ?? throw new InvalidOperationException("CLV_BENCH_STORAGE is not set (bench/pipeline/run.sh starts Azurite).");

var random = new Random(42);
var asOf = new DateOnly(2026, 11, 1);
var scoredAt = DateTimeOffset.UtcNow;
var rows = Enumerable.Range(0, customers)
    .Select(i => PredictionEntity.Create($"customer-{i}", new ClvPrediction((float)(random.NextDouble() * 500), (float)random.NextDouble(), 0f, 50f, 900f), "bench", asOf, scoredAt))
    .ToList();

var ours = new List<double>();
var peer = new List<double>();
for (var round = 0; round < rounds; round++)
{
    var storage = new ClvStorage(new StorageOptions { ConnectionString = connection, NamePrefix = $"r{round}a" });
    await storage.Predictions.CreateIfNotExistsAsync();
    var clock = Stopwatch.StartNew();
    var written = await PredictionWriter.UpsertAsync(storage.Predictions, rows);
    ours.Add(written / clock.Elapsed.TotalSeconds);

    var peerTable = new TableServiceClient(connection).GetTableClient($"r{round}bPredictions");
    await peerTable.CreateIfNotExistsAsync();
    clock.Restart();
    foreach (var row in rows)
    {
        await peerTable.UpsertEntityAsync(row, TableUpdateMode.Replace);
    }

    peer.Add(rows.Count / clock.Elapsed.TotalSeconds);
    var count = await storage.Predictions.QueryAsync<TableEntity>(select: ["PartitionKey"]).CountAsync();
    if (count != customers)
    {
        throw new InvalidOperationException($"round {round}: {count} rows in the table, expected {customers}");
    }

    Console.WriteLine(FormattableString.Invariant($"round {round}: pipeline {ours[^1]:F0} rows/s, one-by-one {peer[^1]:F0} rows/s"));
}

// End to end on the production Modeling ports: a generated export featurized from Azurite, a model file with
// seeded weights (ONNX), fan-out over 16 shards and every shard scored and written by the queue worker.
var endToEnd = await EndToEndAsync(connection, customers);
Console.WriteLine(FormattableString.Invariant($"end to end: {endToEnd.Predictions} predictions in {endToEnd.Seconds:F1} s = {endToEnd.Predictions / endToEnd.Seconds:F0}/s (featurize {endToEnd.FeaturizeSeconds:F1} s)"));

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var figure = Median(ours);
var peerFigure = Median(peer);
var result = new
{
    name = "pipeline",
    figure = Math.Round(figure, 1),
    unit = "predictions/s",
    peer = "Azure.Data.Tables UpsertEntityAsync one by one (same entities, same Azurite, same run)",
    peerFigure = Math.Round(peerFigure, 1),
    ratio = Math.Round(figure / peerFigure, 2),
    customers,
    rounds,
    batchSize = PredictionWriter.MaxBatchSize,
    partitions = ShardKey.PartitionCount,
    roundsPipeline = ours.Select(v => Math.Round(v, 1)),
    roundsPeer = peer.Select(v => Math.Round(v, 1)),
    scope = "figure: Predictions upserts into Azurite (entity-group batches, 8 in flight) vs one-by-one upserts of the same rows",
    endToEndPredictionsPerSecond = Math.Round(endToEnd.Predictions / endToEnd.Seconds, 1),
    endToEndPredictions = endToEnd.Predictions,
    endToEndSeconds = Math.Round(endToEnd.Seconds, 2),
    endToEndFeaturizeSeconds = Math.Round(endToEnd.FeaturizeSeconds, 2),
    endToEndScope = "fan-out of 16 score-shards messages, then per shard: read Parquet partials, build sequences, ONNX Runtime scoring (CPU), upserts into Predictions",
    machine = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, runtime = RuntimeInformation.FrameworkDescription },
    measuredAt = DateTimeOffset.UtcNow,
};
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(FormattableString.Invariant($"pipeline: {figure:F0} predictions/s; peer (one by one): {peerFigure:F0}/s; ratio {figure / peerFigure:F2}"));

static async Task<(long Predictions, double Seconds, double FeaturizeSeconds)> EndToEndAsync(string connection, int customers)
{
    var options = new ClvOptions
    {
        Storage = new StorageOptions { ConnectionString = connection, NamePrefix = "e2e" },
        Scoring = new ScoringOptions { ShardCount = 16 },
    };
    var storage = new ClvStorage(options.Storage);
    await storage.EnsureCreatedAsync();
    using (var export = new MemoryStream())
    {
        Clv.Modeling.Synthetic.SyntheticExportGenerator.Write(export, new Clv.Modeling.Synthetic.SyntheticExportOptions { Mode = Clv.Modeling.Synthetic.SyntheticMode.BgNbd, Customers = customers, Seed = 5 });
        await storage.Exports.GetBlobClient("orders.csv").UploadAsync(new BinaryData(export.ToArray()), overwrite: true);
    }

    var featurizeClock = Stopwatch.StartNew();
    var featurize = new Clv.Pipeline.Featurize.FeaturizeJob(storage, new Clv.Pipeline.Adapters.WorkflowExportFeaturizer(), options, NullLogger<Clv.Pipeline.Featurize.FeaturizeJob>.Instance);
    var ingested = await featurize.RunAsync("orders.csv");
    if (ingested.Status != IngestionStatus.Succeeded)
    {
        throw new InvalidOperationException($"featurize: {ingested.Status} {ingested.Error}");
    }

    var featurizeSeconds = featurizeClock.Elapsed.TotalSeconds;
    var shape = new Clv.Modeling.Lstm.LstmShape(Clv.Modeling.Features.SequenceBuilder.FeatureCount, 32);
    var random = new Random(11);
    var weights = new float[shape.ParameterCount];
    for (var i = 0; i < weights.Length; i++)
    {
        weights[i] = (float)((random.NextDouble() - 0.5) * 0.2);
    }

    var asOf = new DateOnly(2024, 12, 29);
    var metadata = new Clv.Modeling.Model.ModelMetadata("e2e", Clv.Modeling.Features.SequenceBuilder.FeatureNames, options.Model.Bucket, options.Model.SequenceLength, options.Model.HorizonBuckets, asOf);
    var model = new Clv.Modeling.Model.ClvModel(metadata, Clv.Modeling.Features.FeatureNormalizer.Identity(shape.FeatureCount), new Clv.Modeling.Lstm.LstmWeights(shape, weights));
    await new ModelStore(storage).PublishAsync("e2e", Clv.Modeling.Onnx.OnnxModelWriter.ToBytes(model), [Clv.Modeling.Evaluation.ReportFile.Text(Clv.Modeling.Evaluation.EvaluationReport.MarkdownFileName, "text/markdown", "# e2e\n")]);

    var scorers = new Clv.Pipeline.Score.ScorerCache(storage, new Clv.Pipeline.Adapters.WorkflowScorerFactory(options, NullLogger<Clv.Pipeline.Adapters.WorkflowScorerFactory>.Instance));
    var shardJob = new Clv.Pipeline.Score.ShardScoreJob(storage, new Clv.Pipeline.Adapters.WorkflowSequenceSource(), scorers, options, NullLogger<Clv.Pipeline.Score.ShardScoreJob>.Instance);
    var worker = new Clv.Pipeline.Score.ScoreQueueWorker(storage, shardJob, NullLogger<Clv.Pipeline.Score.ScoreQueueWorker>.Instance);
    var clock = Stopwatch.StartNew();
    await new Clv.Pipeline.Score.ScoreFanOutJob(storage, options, NullLogger<Clv.Pipeline.Score.ScoreFanOutJob>.Instance).RunAsync("e2e", asOf);
    await worker.DrainAsync(maxMessages: 2);
    var seconds = clock.Elapsed.TotalSeconds;
    var written = await storage.Predictions.QueryAsync<TableEntity>(select: ["PartitionKey"]).CountAsync();
    return (written, seconds, featurizeSeconds);
}
