using System.Text.RegularExpressions;
using Clv.Infra.Tests.Arm;
using Clv.Infra.Tests.Bicep;
using Clv.Infra.Tests.Template;
using Clv.Pipeline.Storage;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>
/// The built app's generated metadata (what the Azure Functions host reads) agrees with the template: every binding
/// expression is an app setting of both hosts and resolves to the storage contract's container, queue and schedule,
/// for an unprefixed and a prefixed deployment.
/// </summary>
public sealed partial class FunctionsMetadataTests
{
    [GeneratedRegex(@"%([A-Za-z0-9_.:]+)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"^AzureWebJobs\.(.+)\.Disabled$")]
    private static partial Regex DisabledSetting();

    [GeneratedRegex(@"^function_name=(\w+)$", RegexOptions.Multiline)]
    private static partial Regex WebhookFunction();

    [Fact]
    public void Metadata_ListsEveryFunction_WithItsTrigger()
    {
        var expected = new Dictionary<string, string>
        {
            ["CustomerClvHttp"] = "httpTrigger",
            ["ScoreHttp"] = "httpTrigger",
            ["HealthHttp"] = "httpTrigger",
            ["Featurize"] = "blobTrigger",
            ["ScoreShard"] = "queueTrigger",
            ["ExportDeleted"] = "queueTrigger",
            ["CompactShards"] = "queueTrigger",
            ["Train"] = "timerTrigger",
        };

        var actual = BuiltFunctionsApp.Functions.ToDictionary(f => f.Name, f => f.Trigger.Type);

        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData("CustomerClvHttp", "get", "customers/{customerId}/clv", "Function")]
    [InlineData("ScoreHttp", "post", "score", "Function")]
    [InlineData("HealthHttp", "get", "health", "Anonymous")]
    public void HttpFunctions_ServeTheDocumentedRoutes(string name, string method, string route, string authLevel)
    {
        var trigger = BuiltFunctionsApp.Function(name).Trigger;

        Assert.Equal([method], trigger.List("methods"));
        Assert.Equal(route, trigger.Text("route"));
        Assert.Equal(authLevel, trigger.Text("authLevel"));
    }

    [Fact]
    public void HealthProbe_OfTheDeployScript_ReachesTheAnonymousHealthRoute()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "scripts", "post-deploy.sh"));
        var host = BuiltFunctionsApp.Json("host.json");
        var prefix = host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();
        var health = BuiltFunctionsApp.Function("HealthHttp").Trigger;

        Assert.Contains($"/{prefix}/{health.Text("route")}\"", script, StringComparison.Ordinal);
        Assert.Equal("Anonymous", health.Text("authLevel"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("blue")]
    public void BlobTrigger_WatchesTheTemplatesExportsContainer_ThroughEventGrid(string prefix)
    {
        var trigger = BuiltFunctionsApp.Function("Featurize").Trigger;
        var settings = TemplateAppSettings.FunctionApp(prefix);

        var path = Resolve(trigger.Text("path")!, settings);

        Assert.Equal("EventGrid", trigger.Text("source"));
        Assert.Equal($"{new StorageNames(prefix).Exports}/{{name}}", path);
        Assert.Contains(path.Split('/')[0], DeployedChildNames(prefix, "Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("blue")]
    public void QueueTrigger_ReadsTheTemplatesScoreShardsQueue(string prefix)
    {
        var trigger = BuiltFunctionsApp.Function("ScoreShard").Trigger;
        var settings = TemplateAppSettings.FunctionApp(prefix);

        var queue = Resolve(trigger.Text("queueName")!, settings);

        Assert.Equal(new StorageNames(prefix).ScoreShards, queue);
        Assert.Contains(queue, DeployedChildNames(prefix, "Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("blue")]
    public void DeletedExportTrigger_ReadsTheTemplatesExportEventsQueue(string prefix)
    {
        var trigger = BuiltFunctionsApp.Function("ExportDeleted").Trigger;
        var settings = TemplateAppSettings.FunctionApp(prefix);

        var queue = Resolve(trigger.Text("queueName")!, settings);

        Assert.Equal(new StorageNames(prefix).ExportEvents, queue);
        Assert.Contains(queue, DeployedChildNames(prefix, "Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("blue")]
    public void CompactionTrigger_ReadsTheTemplatesCompactShardsQueue(string prefix)
    {
        var trigger = BuiltFunctionsApp.Function("CompactShards").Trigger;
        var settings = TemplateAppSettings.FunctionApp(prefix);

        var queue = Resolve(trigger.Text("queueName")!, settings);

        Assert.Equal(new StorageNames(prefix).CompactShards, queue);
        Assert.Contains(queue, DeployedChildNames(prefix, "Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Fact]
    public void TimerTrigger_RunsOnTheTemplatesTrainingSchedule()
    {
        var trigger = BuiltFunctionsApp.Function("Train").Trigger;
        var settings = TemplateAppSettings.FunctionApp();

        var schedule = Resolve(trigger.Text("schedule")!, settings);

        Assert.Equal(settings["Clv__Training__Schedule"], schedule);
        Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void EveryBindingExpression_IsAnAppSettingOfBothHosts()
    {
        var expressions = BuiltFunctionsApp.Functions
            .SelectMany(f => f.Bindings)
            .SelectMany(b => b.Json.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String))
            .SelectMany(p => BindingExpression().Matches(p.Value.GetString()!).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var flex = CompiledTemplate.Get().FunctionAppSettings();
        var gpu = CompiledTemplate.Get().GpuScorerEnvironment();

        Assert.Equal(["ClvCompactShardsQueue", "ClvExportEventsQueue", "ClvExportsContainer", "ClvScoreShardsQueue", "ClvTrainingSchedule"], expressions.Order(StringComparer.Ordinal));
        Assert.All(expressions, name => Assert.True(flex.ContainsKey(name), $"%{name}% is not an app setting of the Function App."));
        Assert.All(expressions, name => Assert.True(gpu.ContainsKey(name), $"%{name}% is not set on the GPU scorer."));
    }

    [Fact]
    public void StorageTriggers_UseTheHostConnection_WhichTheTemplateSetsByIdentity()
    {
        var storageTriggers = BuiltFunctionsApp.Functions.Select(f => f.Trigger).Where(t => t.Type is "blobTrigger" or "queueTrigger").ToList();

        Assert.Equal(4, storageTriggers.Count);
        Assert.All(storageTriggers, t => Assert.Null(t.Text("connection")));
        Assert.All(Contract.HostStorageSettings, name => Assert.True(CompiledTemplate.Get().FunctionAppSettings().ContainsKey(name), $"Missing {name}."));
    }

    [Fact]
    public void DisabledSettings_NameFunctionsThatExist()
    {
        var functions = BuiltFunctionsApp.Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var settings = CompiledTemplate.Get().FunctionAppSettings().Keys.Concat(CompiledTemplate.Get().GpuScorerEnvironment().Keys);

        var disabled = settings.Select(name => DisabledSetting().Match(name)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(disabled);
        Assert.All(disabled, name => Assert.Contains(name, functions));
    }

    [Fact]
    public void EventGridWebhook_TargetsTheBlobTrigger_InTheDeployedExportsContainer()
    {
        var postDeploy = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "scripts", "post-deploy.sh"));
        var deploy = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "deploy.sh"));

        Assert.Equal("blobTrigger", BuiltFunctionsApp.Function(WebhookFunction().Match(postDeploy).Groups[1].Value).Trigger.Type);
        Assert.Contains("exportsContainerName", deploy, StringComparison.Ordinal);
        Assert.Matches(@"post-deploy\.sh[^\n]*-c ""\$exports""", deploy);
    }

    [Fact]
    public void EntryPoints_AreMethodsOfTheBuiltAssembly()
    {
        var assembly = typeof(Clv.Functions.ClvFunctionsApp).Assembly;

        Assert.All(BuiltFunctionsApp.Functions, f =>
        {
            var type = assembly.GetType(f.TypeName);
            Assert.True(type is not null, $"{f.Name}: no type {f.TypeName} in {assembly.GetName().Name}.");
            Assert.NotNull(type.GetMethod(f.EntryPoint[(f.EntryPoint.LastIndexOf('.') + 1)..]));
        });
    }

    [Fact]
    public void WorkerConfig_StartsTheIsolatedWorker()
    {
        var description = BuiltFunctionsApp.Json("worker.config.json").GetProperty("description");

        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Clv.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        Assert.True(File.Exists(Path.Combine(BuiltFunctionsApp.OutputFolder, "Clv.Functions.dll")));
    }

    [Fact]
    public void Extensions_RegisterTheBlobAndQueueTriggers()
    {
        var names = BuiltFunctionsApp.Json("extensions.json").GetProperty("extensions").EnumerateArray()
            .Select(e => e.GetProperty("name").GetString()!)
            .ToList();

        Assert.Contains(names, n => n.Contains("Blobs", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(names, n => n.Contains("Queues", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Replaces each <c>%Setting%</c> with the setting's value, failing when the setting is absent.</summary>
    private static string Resolve(string expression, IReadOnlyDictionary<string, string?> settings) =>
        BindingExpression().Replace(expression, m => settings.TryGetValue(m.Groups[1].Value, out var value) && value is not null
            ? value
            : throw new Xunit.Sdk.XunitException($"%{m.Groups[1].Value}% does not resolve: the Function App has no such app setting."));

    private static List<string> DeployedChildNames(string prefix, string type)
    {
        var template = ArmTemplate.Parse(CompiledTemplate.Get().Text, new Dictionary<string, object?> { ["dataNamePrefix"] = prefix });
        return template.OfType(type).Select(TemplateQueries.ChildName).OfType<string>().ToList();
    }
}
