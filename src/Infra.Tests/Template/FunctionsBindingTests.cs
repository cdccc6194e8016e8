using System.Text.RegularExpressions;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

/// <summary>
/// The Functions app (src/Functions) binds only what the template sets: its binding expressions resolve to app
/// settings, its triggers use the host storage connection, and the AzureWebJobs.{function}.Disabled settings and
/// the Event Grid webhook name functions that exist.
/// </summary>
public sealed partial class FunctionsBindingTests
{
    [GeneratedRegex(@"""[^""]*%([A-Za-z0-9_.:]+)%[^""]*""")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"public const string (\w+) = ""([^""]+)"";")]
    private static partial Regex Constant();

    [GeneratedRegex(@"\[Function\(FunctionNames\.(\w+)\)\]")]
    private static partial Regex FunctionAttribute();

    [GeneratedRegex(@"^AzureWebJobs\.(.+)\.Disabled$")]
    private static partial Regex DisabledSetting();

    [GeneratedRegex(@"^function_name=(\w+)$", RegexOptions.Multiline)]
    private static partial Regex WebhookFunction();

    private static string FunctionsFolder => Path.Combine(RepositoryPaths.Root, "src", "Functions");

    private static string Source() =>
        string.Join('\n', Directory.EnumerateFiles(FunctionsFolder, "*.cs", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).Select(File.ReadAllText));

    private static HashSet<string> FunctionNames()
    {
        var constants = Constant().Matches(File.ReadAllText(Path.Combine(FunctionsFolder, "FunctionNames.cs")))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        return FunctionAttribute().Matches(Source()).Select(m => constants[m.Groups[1].Value]).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void EveryBindingExpression_IsAnAppSettingOfBothHosts()
    {
        var expressions = BindingExpression().Matches(Source()).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var flex = CompiledTemplate.Get().FunctionAppSettings();
        var gpu = CompiledTemplate.Get().GpuScorerEnvironment();

        Assert.NotEmpty(expressions);
        Assert.All(expressions, name => Assert.True(flex.ContainsKey(name), $"%{name}% is not an app setting of the Function App."));
        Assert.All(expressions, name => Assert.True(gpu.ContainsKey(name), $"%{name}% is not set on the GPU scorer."));
    }

    [Fact]
    public void Triggers_UseTheHostStorageConnection_WhichTheTemplateSetsByIdentity()
    {
        Assert.DoesNotMatch(@"Connection\s*=", Source());
        Assert.All(Contract.HostStorageSettings, name => Assert.True(CompiledTemplate.Get().FunctionAppSettings().ContainsKey(name), $"Missing {name}."));
    }

    [Fact]
    public void DisabledSettings_NameFunctionsThatExist()
    {
        var functions = FunctionNames();
        var settings = CompiledTemplate.Get().FunctionAppSettings().Keys.Concat(CompiledTemplate.Get().GpuScorerEnvironment().Keys);

        var disabled = settings.Select(name => DisabledSetting().Match(name)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(disabled);
        Assert.All(disabled, name => Assert.Contains(name, functions));
    }

    [Fact]
    public void EventGridWebhook_TargetsTheBlobTrigger()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "scripts", "post-deploy.sh"));

        Assert.Contains(WebhookFunction().Match(script).Groups[1].Value, FunctionNames());
    }
}
