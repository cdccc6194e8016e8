using System.Diagnostics.CodeAnalysis;
using System.Net;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Hosting;
using Clv.Pipeline.Lookup;
using Clv.Pipeline.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clv.LocalHost;

/// <summary>
/// The whole Azure flow on one machine: the HTTP routes on ASP.NET Core bound to 127.0.0.1, a watcher on
/// <c>exports</c>, the training timer and the <c>score-shards</c> listener, against Azurite or a real account.
/// Ctrl+C or SIGTERM stops it gracefully: running jobs are cancelled and in-flight requests finish.
/// </summary>
public static class ClvLocalHost
{
    /// <summary>Builds the host.</summary>
    /// <param name="configuration">Settings (<c>Clv:*</c> keys); validated, failing with the bad setting's name.</param>
    /// <param name="options">What to run.</param>
    /// <param name="configureServices">Registers the Modeling ports (production: <see cref="ClvPipelineServiceCollectionExtensions.AddClvModeling"/>) and overrides.</param>
    /// <param name="telemetry">Whether to export OpenTelemetry (Azure Monitor or console).</param>
    [RequiresUnreferencedCode(ClvOptionsValidator.BinderRequirement)]
    [RequiresDynamicCode(ClvOptionsValidator.BinderRequirement)]
    public static WebApplication Build(IConfiguration configuration, LocalHostOptions options, Action<IServiceCollection> configureServices, bool telemetry = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureServices);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "clv-host" });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(options);
        builder.Services.AddClvPipeline(builder.Configuration);
        if (telemetry)
        {
            builder.Services.AddClvTelemetry();
        }

        configureServices(builder.Services);
        if (options.WatchExports)
        {
            builder.Services.AddHostedService<ExportWatcher>();
        }

        if (options.DropFolder is not null)
        {
            builder.Services.AddHostedService<DropFolderUploader>();
        }

        if (options.TrainOnSchedule)
        {
            builder.Services.AddHostedService<TrainingScheduler>();
        }

        if (options.ListenToQueue)
        {
            builder.Services.AddHostedService<ScoreQueueListener>();
            builder.Services.AddHostedService<CompactionQueueListener>();
        }

        builder.Host.UseDefaultServiceProvider(provider =>
        {
            provider.ValidateOnBuild = true;
            provider.ValidateScopes = true;
        });

        var app = builder.Build();

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var result = HttpResult.Problem(StatusCodes.Status500InternalServerError, "Unexpected error", error?.Message ?? "The request failed.");
                await HttpEndpoints.WriteAsync(context, result).ConfigureAwait(false);
            },
        });
        app.MapClvApi();
        return app;
    }

    /// <summary>Creates missing storage (when asked), then starts the host.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<LocalHostOptions>().CreateStorage)
        {
            await app.Services.GetRequiredService<ClvStorage>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The address the host listens on, once started (e.g. <c>http://127.0.0.1:7071</c>).</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The host has not started.");
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }
}
