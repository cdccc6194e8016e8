using System.Text.Json;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class LinterConfigTests
{
    private static Dictionary<string, string> Rules()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.BicepFolder, "bicepconfig.json")));
        return document.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules").EnumerateObject()
            .ToDictionary(r => r.Name, r => r.Value.GetProperty("level").GetString()!, StringComparer.Ordinal);
    }

    [Fact]
    public void EveryConfiguredLinterRule_IsAnError()
    {
        var rules = Rules();

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.Equal("error", r.Value));
    }

    [Theory]
    [InlineData("no-hardcoded-env-urls")]
    [InlineData("no-unused-params")]
    [InlineData("no-unused-vars")]
    [InlineData("secure-secrets-in-params")]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("use-secure-value-for-secure-inputs")]
    [InlineData("prefer-interpolation")]
    [InlineData("simplify-interpolation")]
    [InlineData("use-resource-id-functions")]
    [InlineData("use-stable-resource-identifiers")]
    [InlineData("no-loc-expr-outside-params")]
    [InlineData("explicit-values-for-loc-params")]
    [InlineData("adminusername-should-not-be-literal")]
    [InlineData("what-if-short-circuiting")]
    public void SecurityAndHygieneRule_IsConfigured(string rule)
    {
        Assert.Contains(rule, Rules().Keys);
    }
}
