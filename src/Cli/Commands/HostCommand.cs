using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Clv.LocalHost;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>
/// <c>clv host</c>: the Azure flow on this machine. The HTTP API on 127.0.0.1, a watcher on <c>exports</c>, the
/// training timer and the <c>score-shards</c> listener, against Azurite or a real storage account. Settings come
/// from <c>Clv__Section__Key</c> environment variables; Ctrl+C or SIGTERM stops it gracefully.
/// </summary>
internal static class HostCommand
{
    private const string Azurite = "UseDevelopmentStorage=true";

    private const string JustificationForBinder =
        "The settings binder runs only where HostSupport.IsSupported: a natively compiled clv sets that switch off, so this method stops before it and the compiler removes the rest.";

    public static Command Create(IAnsiConsole console)
    {
        var port = new Option<int>("--port") { Description = "Loopback port of the HTTP API (0 picks a free one).", DefaultValueFactory = _ => 7071 };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string; default: Clv__Storage__ConnectionString, else local Azurite." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not watch the exports container." };
        var noTimer = new Option<bool>("--no-timer") { Description = "Do not train on Clv:Training:Schedule." };
        var noQueue = new Option<bool>("--no-queue") { Description = "Do not handle score-shards messages." };
        var dropFolder = new Option<string?>("--drop-folder") { Description = "Upload each file that appears in this folder to the exports container, where the watcher featurizes it (created if missing)." };
        var command = new Command("host", "Run the pipeline and its HTTP API locally, against Azurite or a storage account.") { port, storage, noWatch, noTimer, noQueue, dropFolder };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            console,
            parseResult.GetValue(port),
            parseResult.GetValue(storage),
            new LocalHostOptions
            {
                Port = parseResult.GetValue(port),
                WatchExports = !parseResult.GetValue(noWatch),
                TrainOnSchedule = !parseResult.GetValue(noTimer),
                ListenToQueue = !parseResult.GetValue(noQueue),
                DropFolder = DropFolder(parseResult.GetValue(dropFolder)),
            },
            cancellationToken));
        return command;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = JustificationForBinder)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = JustificationForBinder)]
    private static async Task<int> RunAsync(IAnsiConsole console, int port, string? storage, LocalHostOptions options, CancellationToken cancellationToken)
    {
        if (port is < 0 or > 65535)
        {
            throw new CliUserException($"--port {port} is not a TCP port.", "Use 0..65535; 0 picks a free port.");
        }

        if (!HostSupport.IsSupported)
        {
            throw new CliUserException(
                "clv host is not part of the natively compiled clv: the pipeline binds its Clv__Section__Key settings by reflection, which a native build cannot do.",
                "Run the framework-dependent build: dotnet run --project src/Cli -c Release -- host, or publish src/Cli without -p:PublishAot=true.",
                ExitCodes.Failed);
        }

        var configuration = BuildConfiguration(storage);
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = ClvLocalHost.Build(configuration, options, services => services.AddClvModeling());
        }
        catch (ClvConfigurationException ex)
        {
            throw new CliUserException(ex.Message, "Settings are read from Clv__Section__Key environment variables, e.g. Clv__Scoring__BatchSize=512.");
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is InvalidOperationException))
        {
            throw new CliUserException(
                "This build cannot host the pipeline: " + ex.InnerExceptions[0].Message,
                "Every service of the pipeline is registered by AddClvPipeline and AddClvModeling.",
                ExitCodes.Failed);
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await ClvLocalHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException ex)
            {
                throw new CliUserException($"The storage account could not be prepared: {ex.Status} {ex.ErrorCode ?? ex.Message}", "Check Clv__Storage__ConnectionString (or the service URIs and the identity's role assignments).", ExitCodes.Failed);
            }
            catch (AggregateException ex) when (ex.InnerException is Azure.RequestFailedException or HttpRequestException)
            {
                throw new CliUserException($"The storage account is not reachable: {ex.InnerException.Message}", "Start Azurite (npx azurite) or pass --storage with a connection string.", ExitCodes.Failed);
            }
            console.MarkupLineInterpolated($"[green]clv host[/] listening on [bold]{ClvLocalHost.Address(app)}[/] (Ctrl+C to stop)");
            var exports = app.Services.GetRequiredService<Clv.Pipeline.Storage.ClvStorage>().Exports;
            if (options.DropFolder is { } folder)
            {
                console.MarkupLineInterpolated($"drop exports (and their {Clv.Pipeline.Featurize.ExportNames.MappingSuffix} files) into [bold]{folder}[/]: each is uploaded to container [bold]{exports.Name}[/] ({exports.Uri}) and featurized");
            }
            else
            {
                console.MarkupLineInterpolated($"upload exports to container [bold]{exports.Name}[/] ({exports.Uri}), or run with [bold]--drop-folder DIR[/] and drop them into DIR");
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static string? DropFolder(string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            return null;
        }

        try
        {
            return Directory.CreateDirectory(folder).FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliUserException($"--drop-folder '{folder}' cannot be used: {ex.Message}", "give a folder this user can create and read");
        }
    }

    private static IConfiguration BuildConfiguration(string? storage)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        var environment = builder.Build();
        var connection = storage ?? environment["Clv:Storage:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connection) && string.IsNullOrWhiteSpace(environment["Clv:Storage:BlobServiceUri"]))
        {
            connection = Azurite;
        }

        if (!string.IsNullOrWhiteSpace(connection))
        {
            builder.AddInMemoryCollection([new KeyValuePair<string, string?>("Clv:Storage:ConnectionString", connection)]);
        }

        return builder.Build();
    }
}
