using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Clv.LocalHost;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Model;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Hosting;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Train;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

// Modes:
//   serve-clv CUSTOMERS       the local host over Azurite (CLV_BENCH_STORAGE) with CUSTOMERS seeded predictions
//   serve-constant            the peer: minimal ASP.NET Core endpoint on the same route returning a constant
//   load URL CUSTOMERS REQUESTS CONCURRENCY OUT.json   the load client (run as a second process)
//   report OURS.json PEER.json OUT.json
// Servers print "READY <url>" and run until stdin closes.
return args[0] switch
{
    "serve-clv" => await ServeClvAsync(int.Parse(args[1], CultureInfo.InvariantCulture)),
    "serve-constant" => await ServeConstantAsync(),
    "load" => await LoadAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), args[5]),
    "report" => Report(args[1], args[2], args[3]),
    _ => 2,
};

static async Task<int> ServeClvAsync(int customers)
{
    var connection = Environment.GetEnvironmentVariable("CLV_BENCH_STORAGE") ?? throw new InvalidOperationException("CLV_BENCH_STORAGE is not set");
    var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Clv:Storage:ConnectionString", connection), new("Clv:Storage:NamePrefix", "http")]).Build();
    var app = ClvLocalHost.Build(
        configuration,
        new LocalHostOptions { Port = 0, WatchExports = false, TrainOnSchedule = false, ListenToQueue = false },
        services =>
        {
            services.AddClvModeling();
            services.TryAddSingleton<IExportFeaturizer, NotMeasured>();
            services.TryAddSingleton<ISequenceSource, NotMeasured>();
            services.TryAddSingleton<IBatchScorerFactory, NotMeasured>();
            services.TryAddSingleton<IModelTrainer, NotMeasured>();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        },
        telemetry: false);
    await ClvLocalHost.StartAsync(app);
    var storage = app.Services.GetRequiredService<ClvStorage>();
    var scoredAt = DateTimeOffset.UtcNow;
    var rows = Enumerable.Range(0, customers).Select(i => PredictionEntity.Create($"customer-{i}", new ClvPrediction(i % 500, 0.5f, 0f, (i % 500) / 2f, (i % 500) * 2f), "bench", new DateOnly(2026, 11, 1), scoredAt)).ToList();
    await PredictionWriter.UpsertAsync(storage.Predictions, rows);
    Console.WriteLine($"READY {ClvLocalHost.Address(app)}");
    await Console.In.ReadToEndAsync();
    await app.StopAsync();
    return 0;
}

static async Task<int> ServeConstantAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
    var app = builder.Build();
    var body = """{"customerId":"customer-1","clv":1.0,"pPurchase":0.5,"modelVersion":"bench","asOf":"2026-11-01","scoredAt":"2026-11-23T00:00:00+00:00"}"""u8.ToArray();
    app.MapGet("/api/customers/{customerId}/clv", async (string customerId, HttpContext context) =>
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(body);
    });
    await app.StartAsync();
    Console.WriteLine($"READY {app.Urls.First()}");
    await Console.In.ReadToEndAsync();
    await app.StopAsync();
    return 0;
}

static async Task<int> LoadAsync(Uri baseUrl, int customers, int requests, int concurrency, string output)
{
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseUrl };
    var warmup = Math.Min(requests / 10, 500);
    var latencies = new double[requests];
    var errors = 0;
    var next = -warmup;
    var total = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async worker =>
    {
        var random = new Random(worker);
        while (true)
        {
            var index = Interlocked.Increment(ref next) - 1;
            if (index >= requests)
            {
                return;
            }

            if (index == 0)
            {
                total.Restart();
            }

            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync($"/api/customers/customer-{random.Next(customers)}/clv");
            _ = await response.Content.ReadAsByteArrayAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref errors);
            }

            if (index >= 0)
            {
                latencies[index] = elapsed;
            }
        }
    }).ToArray();
    await Task.WhenAll(workers);
    var seconds = total.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    var result = new
    {
        p50Ms = Math.Round(Percentile(latencies, 0.50), 3),
        p99Ms = Math.Round(Percentile(latencies, 0.99), 3),
        meanMs = Math.Round(latencies.Average(), 3),
        requestsPerSecond = Math.Round(requests / seconds, 1),
        requests,
        concurrency,
        errors,
    };
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result));
    Console.WriteLine($"{baseUrl}: {JsonSerializer.Serialize(result)}");
    return errors == 0 ? 0 : 1;
}

static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

static int Report(string oursPath, string peerPath, string output)
{
    using var ours = JsonDocument.Parse(File.ReadAllText(oursPath));
    using var peer = JsonDocument.Parse(File.ReadAllText(peerPath));
    var p50 = ours.RootElement.GetProperty("p50Ms").GetDouble();
    var peerP50 = peer.RootElement.GetProperty("p50Ms").GetDouble();
    var result = new
    {
        name = "http",
        figure = p50,
        unit = "ms p50 (GET /api/customers/{id}/clv, local host over Azurite)",
        peer = "minimal ASP.NET Core endpoint returning a constant, same load client",
        peerFigure = peerP50,
        ratio = Math.Round(peerP50 / p50, 3),
        p99Ms = ours.RootElement.GetProperty("p99Ms").GetDouble(),
        peerP99Ms = peer.RootElement.GetProperty("p99Ms").GetDouble(),
        requestsPerSecond = ours.RootElement.GetProperty("requestsPerSecond").GetDouble(),
        peerRequestsPerSecond = peer.RootElement.GetProperty("requestsPerSecond").GetDouble(),
        requests = ours.RootElement.GetProperty("requests").GetInt32(),
        concurrency = ours.RootElement.GetProperty("concurrency").GetInt32(),
        errors = ours.RootElement.GetProperty("errors").GetInt32(),
        note = "ratio = peer p50 / our p50 (higher is better); each lookup is a Table point read against Azurite on loopback",
        machine = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, runtime = RuntimeInformation.FrameworkDescription },
        measuredAt = DateTimeOffset.UtcNow,
    };
    File.WriteAllText(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"http: p50 {p50} ms, p99 {result.p99Ms} ms; peer p50 {peerP50} ms, p99 {result.peerP99Ms} ms; ratio {result.ratio}");
    return 0;
}

/// <summary>The Modeling ports are not part of this benchmark (only the stored-prediction lookup is measured).</summary>
internal sealed class NotMeasured : IExportFeaturizer, ISequenceSource, IBatchScorerFactory, IModelTrainer
{
    private const string Message = "Only GET /api/customers/{id}/clv is measured by bench/http.";

    public Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Stream partial, Stream rejected, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);

    public Task<SequenceSet> FromPartialsAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly asOf, ModelMetadata model, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);

    public SequenceSet FromTransactions(string customerId, IReadOnlyList<Transaction> transactions, DateOnly asOf, ModelMetadata model) => throw new InvalidOperationException(Message);

    public Task<IReadOnlyDictionary<string, double>> SpendAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);

    public IBatchScorer Load(byte[] onnx) => throw new InvalidOperationException(Message);

    public Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);
}
