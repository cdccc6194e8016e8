using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Data.Tables;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;

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
    .Select(i => PredictionEntity.Create($"customer-{i}", random.NextDouble() * 500, random.NextDouble(), "bench", asOf, scoredAt))
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
    scope = "Predictions upserts into Azurite (entity-group batches, 8 in flight); model scoring time not included",
    machine = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, runtime = RuntimeInformation.FrameworkDescription },
    measuredAt = DateTimeOffset.UtcNow,
};
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(FormattableString.Invariant($"pipeline: {figure:F0} predictions/s; peer (one by one): {peerFigure:F0}/s; ratio {figure / peerFigure:F2}"));
