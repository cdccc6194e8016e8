using Clv.LocalHost;
using Clv.Modeling.Evaluation;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Clv.Pipeline.Tests.Jobs;
using Clv.Pipeline.Train;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Clv.Pipeline.Tests.Http;

/// <summary>A local host on a free loopback port over a fresh prefix in Azurite, with the test Modeling doubles.</summary>
internal sealed class LocalHostFixture : IAsyncDisposable
{
    private LocalHostFixture(WebApplication app, ClvStorage storage)
    {
        App = app;
        Storage = storage;
        Client = new HttpClient { BaseAddress = ClvLocalHost.Address(app) };
    }

    public WebApplication App { get; }

    public ClvStorage Storage { get; }

    public HttpClient Client { get; }

    public static async Task<LocalHostFixture> StartAsync(LocalHostOptions? options = null, params (string Key, string Value)[] settings)
    {
        var prefix = PipelineHarness.NewPrefix();
        var values = new Dictionary<string, string?>
        {
            ["Clv:Storage:ConnectionString"] = Clv.Pipeline.Tests.Storage.AzuriteFixture.ConnectionString,
            ["Clv:Storage:NamePrefix"] = prefix,
            ["Clv:Scoring:ShardCount"] = "4",
            ["Clv:Http:MaxScoreRequestBytes"] = "4096",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var app = ClvLocalHost.Build(
            configuration,
            options ?? new LocalHostOptions { Port = 0, WatchExports = false, TrainOnSchedule = false, ListenToQueue = false },
            services =>
            {
                services.AddSingleton<IExportFeaturizer, TestFeaturizer>();
                services.AddSingleton<ISequenceSource, TestSequenceSource>();
                services.AddSingleton<IBatchScorerFactory, TestScorerFactory>();
                services.AddSingleton<IModelTrainer, TestTrainer>();
            },
            telemetry: false);
        await ClvLocalHost.StartAsync(app, TestContext.Current.CancellationToken);
        return new LocalHostFixture(app, app.Services.GetRequiredService<ClvStorage>());
    }

    /// <summary>Publishes a test model and points <c>current.json</c> at it.</summary>
    public async Task PromoteAsync(string version, DateOnly asOf, DateTimeOffset promotedAt)
    {
        var models = new ModelStore(Storage);
        await models.PublishAsync(version, TestScorerFactory.ModelFile(version, asOf), [ReportFile.Text(EvaluationReport.MarkdownFileName, "text/markdown", "# Report\n")], TestContext.Current.CancellationToken);
        await models.WriteCurrentAsync(new ChampionPointer(version, asOf, promotedAt), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(TestContext.Current.CancellationToken);
        await App.DisposeAsync();
    }
}
