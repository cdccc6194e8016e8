using System.Diagnostics.CodeAnalysis;
using Azure.Monitor.OpenTelemetry.Exporter;
using Clv.Pipeline.Compact;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Lookup;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Clv.Pipeline.Hosting;

/// <summary>All wiring of the pipeline, shared by the Functions app and the local host.</summary>
public static class ClvPipelineServiceCollectionExtensions
{
    /// <summary>Environment variable that switches telemetry export to Azure Monitor.</summary>
    public const string AppInsightsVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Binds and validates <see cref="ClvOptions"/> (throwing <see cref="ClvConfigurationException"/> naming a bad
    /// setting), and registers storage, the jobs and the HTTP API (telemetry: <see cref="AddClvTelemetry"/>). The Modeling ports
    /// (<see cref="IExportFeaturizer"/>, <see cref="ISequenceSource"/>, <see cref="IBatchScorerFactory"/>,
    /// <see cref="IModelTrainer"/>) are registered by <see cref="AddClvModeling"/>. Binding the options needs reflection
    /// (<see cref="ClvOptionsValidator.Load"/>).
    /// </summary>
    [RequiresUnreferencedCode(ClvOptionsValidator.BinderRequirement)]
    [RequiresDynamicCode(ClvOptionsValidator.BinderRequirement)]
    public static IServiceCollection AddClvPipeline(this IServiceCollection services, IConfiguration configuration, Action<Azure.Core.ClientOptions>? configureStorageClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = ClvOptionsValidator.Load(configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new ClvStorage(options.Storage, configureStorageClient));
        services.AddSingleton<ScorerCache>();
        services.AddSingleton<ChampionProvider>();
        services.AddSingleton<FeaturizeJob>();
        services.AddSingleton<CompactionJob>();
        services.AddSingleton<CompactionQueueWorker>();
        services.AddSingleton<ScoreFanOutJob>();
        services.AddSingleton<ShardScoreJob>();
        services.AddSingleton<TrainJob>();
        services.AddSingleton<ScoreQueueWorker>();
        services.AddSingleton<ClvHttpApi>();
        return services;
    }

    /// <summary>
    /// Registers the production implementations of the Modeling ports: <see cref="IExportFeaturizer"/> over
    /// <c>ExportFeaturizer</c>, <see cref="ISequenceSource"/> over <c>PartialAggregates</c> and <c>SequenceBuilder</c>,
    /// <see cref="IBatchScorerFactory"/> over <c>ClvScorer</c>, <see cref="IModelTrainer"/> over <c>LstmTrainer</c>,
    /// the baselines, the evaluation and <c>OnnxModelWriter</c>.
    /// </summary>
    public static IServiceCollection AddClvModeling(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IExportFeaturizer, Adapters.WorkflowExportFeaturizer>();
        services.TryAddSingleton<ISequenceSource, Adapters.WorkflowSequenceSource>();
        services.TryAddSingleton<IBatchScorerFactory, Adapters.WorkflowScorerFactory>();
        services.TryAddSingleton<IModelTrainer, Adapters.WorkflowTrainer>();
        return services;
    }

    /// <summary>
    /// OpenTelemetry traces (source <c>Clv.Pipeline</c>) and metrics (meter <c>Clv.Pipeline</c>): to Azure Monitor when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (authenticated as the managed identity named by
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> when it says <c>Authorization=AAD</c>), to the console otherwise (unless <paramref name="console"/> is false).
    /// </summary>
    public static IServiceCollection AddClvTelemetry(this IServiceCollection services, bool console = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        var appInsights = Environment.GetEnvironmentVariable(AppInsightsVariable);
        var toAzure = !string.IsNullOrWhiteSpace(appInsights);
        var toConsole = !toAzure && console;

        // With Microsoft Entra-only ingestion (the production component) the exporter must send a token of the app's identity.
        var credential = toAzure ? AppInsightsAuthentication.Credential(Environment.GetEnvironmentVariable(AppInsightsAuthentication.Variable)) : null;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("clv"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ClvTelemetry.Name);
                if (toAzure)
                {
                    tracing.AddAzureMonitorTraceExporter(o =>
                    {
                        o.ConnectionString = appInsights;
                        o.Credential = credential;
                    });
                }
                else if (toConsole)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ClvTelemetry.Name);
                if (toAzure)
                {
                    metrics.AddAzureMonitorMetricExporter(o =>
                    {
                        o.ConnectionString = appInsights;
                        o.Credential = credential;
                    });
                }
                else if (toConsole)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return services;
    }
}
