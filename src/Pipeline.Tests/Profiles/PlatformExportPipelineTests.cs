using System.Collections.Concurrent;
using System.Text;
using Azure.Data.Tables;
using Clv.LocalHost;
using Clv.Modeling.Features;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Lookup;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Clv.Pipeline.Tests.Jobs;
using Clv.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Profiles;

/// <summary>Platform exports dropped in a local folder, uploaded to <c>exports</c> in Azurite and featurized by the blob-triggered job.</summary>
public sealed class PlatformExportPipelineTests : IDisposable
{
    private readonly DirectoryInfo _drop = Directory.CreateTempSubdirectory("clv-drop-");
    private readonly LogCapture _logs = new();

    public void Dispose() => _drop.Delete(recursive: true);

    public static TheoryData<string> Profiles => new(PlatformSamples.All.Select(s => s.Profile));

    private sealed record Setup(ClvOptions Options, ClvStorage Storage, FeaturizeJob Job, DropFolderUploader Uploader, ExportWatcher Watcher);

    private async Task<Setup> CreateAsync(string? currency = null)
    {
        var options = PipelineHarness.OptionsFor(PipelineHarness.NewPrefix()) with
        {
            Ingest = new IngestOptions { CustomerIdKey = PlatformSamples.IdKey, Currency = currency },
        };
        var storage = new ClvStorage(options.Storage);
        await storage.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var job = new FeaturizeJob(storage, new Clv.Pipeline.Adapters.WorkflowExportFeaturizer(options), options, _logs.For<FeaturizeJob>());
        var host = new LocalHostOptions { DropFolder = _drop.FullName };
        return new Setup(
            options,
            storage,
            job,
            new DropFolderUploader(storage, host, _logs.For<DropFolderUploader>()),
            new ExportWatcher(storage, job, host, _logs.For<ExportWatcher>()));
    }

    /// <summary>Drops files into the folder and runs the uploader and the watcher as the local host's timers would.</summary>
    private static async Task<IReadOnlyList<string>> DropAndWatchAsync(Setup setup, params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(setup.Uploader.Folder, name), text, TestContext.Current.CancellationToken);
        }

        Assert.Empty(await setup.Uploader.ScanAsync(TestContext.Current.CancellationToken));
        var uploaded = await setup.Uploader.ScanAsync(TestContext.Current.CancellationToken);
        await setup.Watcher.ScanAsync(TestContext.Current.CancellationToken);
        return uploaded;
    }

    private static async Task<List<IngestionEntity>> IngestionsAsync(ClvStorage storage)
    {
        var rows = new List<IngestionEntity>();
        await foreach (var row in storage.Ingestions.QueryAsync<IngestionEntity>(cancellationToken: TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task DroppedPlatformExport_IsFeaturizedWithExactCountsAndNoRawEmailAnywhere(string profile)
    {
        var sample = PlatformSamples.All.Single(s => s.Profile == profile);
        var setup = await CreateAsync();

        var uploaded = await DropAndWatchAsync(setup, (sample.FileName, sample.Text));

        Assert.Equal([sample.FileName], uploaded);
        var ingestion = Assert.Single(await IngestionsAsync(setup.Storage));
        Assert.Equal(nameof(IngestionStatus.Succeeded), ingestion.Status);
        Assert.Equal(
            (sample.Profile, sample.Accepted, sample.Rejected, sample.Skipped, sample.Excluded, sample.Customers),
            (ingestion.Profile, ingestion.Accepted, ingestion.Rejected, ingestion.Skipped, ingestion.Excluded, ingestion.Customers));
        var partialBlob = setup.Storage.Features.GetBlobClient(ExportNames.PartialBlob(sample.FileName));
        var partialBytes = (await partialBlob.DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content;
        var partials = await PartialAggregates.ReadParquetAsync(partialBytes.ToStream(), TestContext.Current.CancellationToken);
        Assert.Equal(sample.TotalSpend, partials.NetSpend.Sum(), 1e-9);
        Assert.Equal(sample.Customers, partials.CustomerCount);

        // No raw address in the partial's bytes, any table entity, or any log line.
        var texts = new List<string> { Encoding.UTF8.GetString(partialBytes.ToArray()) };
        texts.AddRange(await AllEntitiesAsync(setup.Storage));
        texts.AddRange(_logs.Lines);
        foreach (var text in texts)
        {
            Assert.DoesNotContain(PlatformSamples.Emails, e => text.Contains(e, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task RejectedRowsBlob_KeepsTheRawLineForTheUserToFix()
    {
        var setup = await CreateAsync();

        await DropAndWatchAsync(setup, (PlatformSamples.Shopify.FileName, PlatformSamples.Shopify.Text));

        var rejected = (await setup.Storage.Rejected.GetBlobClient(ExportNames.RejectedBlob(PlatformSamples.Shopify.FileName)).DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToString();
        Assert.Contains("currency 'USD' in column 'Currency' is not EUR", rejected, StringComparison.Ordinal);
        Assert.Contains("currencyRates\"\" in the mapping file", rejected, StringComparison.Ordinal);
        Assert.Contains("#1007,carl@example.com,paid", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SidecarMapping_OverridesTheProfileForItsExportOnly()
    {
        var setup = await CreateAsync();
        var mapping = """{ "nonRevenueStatuses": ["voided"], "currency": "EUR", "currencyRates": { "USD": 0.5 } }""";

        await DropAndWatchAsync(
            setup,
            ("orders_export_1.mapping.json", mapping),
            ("orders_export_1.csv", PlatformSamples.Shopify.Text),
            ("orders_export_2.csv", PlatformSamples.Shopify.Text));

        var ingestions = (await IngestionsAsync(setup.Storage)).ToDictionary(i => TableKey.Unescape(i.PartitionKey));
        Assert.Equal(2, ingestions.Count);
        var mapped = ingestions["orders_export_1.csv"];
        Assert.Equal(("orders_export_1.mapping.json", 6L, 0L, 1L), (mapped.MappingBlob, mapped.Accepted, mapped.Rejected, mapped.Excluded));
        var plain = ingestions["orders_export_2.csv"];
        Assert.Equal(((string?)null, 3L, 1L, 3L), (plain.MappingBlob, plain.Accepted, plain.Rejected, plain.Excluded));
    }

    [Fact]
    public async Task BadSidecarMapping_FailsTheExportNamingTheMappingAndField()
    {
        var setup = await CreateAsync();

        await DropAndWatchAsync(setup, ("orders_export_1.mapping.json", """{ "customer": "Email" }"""), ("orders_export_1.csv", PlatformSamples.Shopify.Text));

        var ingestion = Assert.Single(await IngestionsAsync(setup.Storage));
        Assert.Equal(nameof(IngestionStatus.Failed), ingestion.Status);
        Assert.Contains("orders_export_1.mapping.json", ingestion.Error, StringComparison.Ordinal);
        Assert.Contains("customer", ingestion.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmailIdsWithoutAKey_FailNamingTheAppSetting()
    {
        var options = PipelineHarness.OptionsFor(PipelineHarness.NewPrefix());
        var storage = new ClvStorage(options.Storage);
        await storage.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await storage.Exports.GetBlobClient("orders.csv").UploadAsync(BinaryData.FromString(PlatformSamples.WooCommerce.Text), cancellationToken: TestContext.Current.CancellationToken);
        var job = new FeaturizeJob(storage, new Clv.Pipeline.Adapters.WorkflowExportFeaturizer(options), options, NullLogger<FeaturizeJob>.Instance);

        var result = await job.RunAsync("orders.csv", TestContext.Current.CancellationToken);

        Assert.Equal(IngestionStatus.Failed, result.Status);
        Assert.Contains("Clv:Ingest:CustomerIdKey", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("CustomerIdHasher", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_TakesTheRawEmailAndReadsItsKeyedRow()
    {
        var setup = await CreateAsync();
        var key = new Clv.Modeling.Ingest.CustomerIdHasher(PlatformSamples.IdKey).Key("jane@example.com");
        var row = PredictionEntity.Create(key, new Clv.Modeling.Scoring.ClvPrediction(42.5f, 0.7f, 0f, 30f, 110f), "v1", new DateOnly(2025, 11, 30), DateTimeOffset.UnixEpoch);
        await setup.Storage.Predictions.UpsertEntityAsync(row, cancellationToken: TestContext.Current.CancellationToken);
        var cache = new ScorerCache(setup.Storage, new TestScorerFactory());
        var api = new ClvHttpApi(
            setup.Storage,
            new ChampionProvider(setup.Storage, cache, setup.Options, NullLogger<ChampionProvider>.Instance),
            new TestSequenceSource(),
            setup.Options,
            NullLogger<ClvHttpApi>.Instance);

        var result = await api.GetCustomerAsync("Jane@Example.com", TestContext.Current.CancellationToken);

        Assert.Equal(200, result.Status);
        using var body = System.Text.Json.JsonDocument.Parse(result.Body);
        Assert.Equal(key, body.RootElement.GetProperty("customerId").GetString());
        Assert.Equal(42.5, body.RootElement.GetProperty("clv").GetDouble());
    }

    private static async Task<List<string>> AllEntitiesAsync(ClvStorage storage)
    {
        var texts = new List<string>();
        foreach (var table in new[] { storage.Ingestions, storage.Predictions, storage.Runs })
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: TestContext.Current.CancellationToken))
            {
                texts.Add(string.Join('|', entity.Select(p => $"{p.Key}={p.Value}")));
            }
        }

        return texts;
    }

    /// <summary>Collects every formatted log line of the loggers it creates.</summary>
    private sealed class LogCapture
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public ILogger<T> For<T>() => new Logger<T>(this);

        private sealed class Logger<T>(LogCapture capture) : ILogger<T>
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture._lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
        }
    }
}
