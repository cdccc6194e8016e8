using Clv.Functions;
using Clv.Pipeline.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>
/// The Functions app's host, built exactly as <c>Program.cs</c> builds it (<see cref="ClvFunctionsApp"/>), with the app
/// settings the template gives the Function App: it starts with them, every function class of the metadata is
/// activated from its services, and a missing or invalid setting stops it with a message naming the setting.
/// </summary>
public sealed class FunctionsStartupTests
{
    [Theory]
    [InlineData("")]
    [InlineData("blue")]
    public void Host_WithTheTemplatesSettings_ActivatesEveryFunction(string prefix)
    {
        var settings = TemplateAppSettings.AsConfiguration(TemplateAppSettings.FunctionApp(prefix));

        using var host = ClvFunctionsApp.Build([], settings);

        var assembly = typeof(ClvFunctionsApp).Assembly;
        Assert.All(BuiltFunctionsApp.Functions, function =>
        {
            var instance = ActivatorUtilities.CreateInstance(host.Services, assembly.GetType(function.TypeName)!);
            Assert.NotNull(instance);
        });
        var options = host.Services.GetRequiredService<ClvOptions>();
        Assert.Equal(prefix, options.Storage.NamePrefix);
        Assert.Equal(new Uri($"https://{TemplateAppSettings.Account}.blob.core.windows.net/"), options.Storage.BlobServiceUri);
        Assert.Equal(TemplateAppSettings.ClientId, options.Storage.ManagedIdentityClientId);
    }

    [Theory]
    [InlineData("Clv__Storage__BlobServiceUri", "Clv:Storage:BlobServiceUri")]
    [InlineData("Clv__Storage__QueueServiceUri", "Clv:Storage:BlobServiceUri, TableServiceUri and QueueServiceUri")]
    [InlineData("ClvExportsContainer", "App setting ClvExportsContainer is missing")]
    [InlineData("ClvScoreShardsQueue", "App setting ClvScoreShardsQueue is missing")]
    [InlineData("ClvCompactShardsQueue", "App setting ClvCompactShardsQueue is missing")]
    [InlineData("ClvExportEventsQueue", "App setting ClvExportEventsQueue is missing")]
    [InlineData("ClvTrainingSchedule", "App setting ClvTrainingSchedule is missing")]
    public void MissingSetting_StopsStartUp_NamingIt(string setting, string expected)
    {
        var settings = TemplateAppSettings.FunctionApp();
        Assert.True(settings.Remove(setting), $"The template no longer sets {setting}.");

        var error = Assert.Throws<ClvConfigurationException>(() => ClvFunctionsApp.Build([], TemplateAppSettings.AsConfiguration(settings)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Clv__Features__Bucket", "fortnight", "Clv:Features:Bucket")]
    [InlineData("Clv__Scoring__ExecutionProvider", "tpu", "Clv:Scoring:ExecutionProvider")]
    [InlineData("Clv__Storage__NamePrefix", "blue", "App setting ClvExportsContainer must be 'blueexports'")]
    [InlineData("ClvScoreShardsQueue", "shards", "App setting ClvScoreShardsQueue must be 'score-shards'")]
    [InlineData("ClvTrainingSchedule", "0 0 4 * * *", "App setting ClvTrainingSchedule must be")]
    public void InvalidSetting_StopsStartUp_NamingIt(string setting, string value, string expected)
    {
        var settings = TemplateAppSettings.FunctionApp();
        Assert.True(settings.ContainsKey(setting), $"The template no longer sets {setting}.");
        settings[setting] = value;

        var error = Assert.Throws<ClvConfigurationException>(() => ClvFunctionsApp.Build([], TemplateAppSettings.AsConfiguration(settings)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
