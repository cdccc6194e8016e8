using Clv.Pipeline.Configuration;
using Clv.Pipeline.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Clv.Functions;

/// <summary>
/// The Functions app's host, built in one place: <c>Program.cs</c> runs it, and the start-up tests build the
/// very same host with the app settings the infrastructure sets.
/// </summary>
public static class ClvFunctionsApp
{
    /// <summary>
    /// Creates the worker's builder, registers every service and validates the <c>Clv</c> options and the
    /// triggers' binding settings, throwing <see cref="ClvConfigurationException"/> naming a missing or invalid app setting.
    /// </summary>
    /// <param name="args">Command-line arguments of the worker process.</param>
    /// <param name="settings">
    /// App settings added after the environment's (for tests); <see langword="null"/> in production, where the
    /// platform passes them as environment variables.
    /// </param>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.ConfigureFunctionsWebApplication();
        BindingSettings.Validate(builder.Configuration, ClvOptionsValidator.Load(builder.Configuration));
        builder.Services.AddClvPipeline(builder.Configuration);
        builder.Services.AddClvModeling();
        builder.Services.AddClvTelemetry();
        return builder;
    }

    /// <summary>Builds the host of <see cref="CreateBuilder"/>.</summary>
    public static IHost Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null) =>
        CreateBuilder(args, settings).Build();
}
