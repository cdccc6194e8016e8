using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class FunctionAppTests
{
    [Fact]
    public void Plan_IsFlexConsumption()
    {
        var plan = CompiledTemplate.Get().Single("Microsoft.Web/serverfarms");

        var sku = plan.Json.GetProperty("sku");

        Assert.Equal("FC1", sku.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", sku.GetProperty("tier").GetString());
        Assert.True(plan.Properties.GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public void App_RunsDotnetIsolated10()
    {
        var app = CompiledTemplate.Get().Single("Microsoft.Web/sites");

        var runtime = app.Properties.GetProperty("functionAppConfig").GetProperty("runtime");

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
        Assert.Equal("functionapp,linux", app.Json.GetProperty("kind").GetString());
    }

    [Fact]
    public void App_RunsAsTheUserAssignedIdentityAndDeploysWithIt()
    {
        var app = CompiledTemplate.Get().Single("Microsoft.Web/sites");

        var identity = app.Json.GetProperty("identity");
        var deployment = app.Properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        var authentication = deployment.GetProperty("authentication");

        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.Contains("parameters('identityId')", identity.GetProperty("userAssignedIdentities").EnumerateObject().Single().Name, StringComparison.Ordinal);
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", authentication.GetProperty("userAssignedIdentityResourceId").GetString());
    }

    [Fact]
    public void App_AcceptsHttpsOnlyWithTls12()
    {
        var app = CompiledTemplate.Get().Single("Microsoft.Web/sites");

        var siteConfig = app.Properties.GetProperty("siteConfig");

        Assert.True(app.Properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", siteConfig.GetProperty("minTlsVersion").GetString());
        Assert.Equal("Disabled", siteConfig.GetProperty("ftpsState").GetString());
    }

    [Fact]
    public void App_RefusesBasicPublishingCredentials()
    {
        var policies = CompiledTemplate.Get().OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(["ftp", "scm"], policies.Select(TemplateQueries.ChildName).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False(p.Properties.GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void App_SendsFunctionLogsToLogAnalytics()
    {
        var template = CompiledTemplate.Get();

        var settings = template.OfType("Microsoft.Insights/diagnosticSettings").Where(d => d.Module == "function-app").ToList();

        var logs = Assert.Single(settings).Properties.GetProperty("logs").EnumerateArray();
        Assert.Contains(logs, l => l.GetProperty("category").GetString() == "FunctionAppLogs" && l.GetProperty("enabled").GetBoolean());
    }
}
