using System.Text.RegularExpressions;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed partial class AppSettingsTests
{
    [GeneratedRegex(@"listKeys|listAccountSas|listServiceSas|AccountKey=|SharedAccessSignature=|SharedAccessKey=|DefaultEndpointsProtocol=", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();

    [Fact]
    public void Template_NeverReadsKeysOrBuildsKeyedConnectionStrings()
    {
        var template = CompiledTemplate.Get();

        var match = SecretPattern().Match(template.Text);

        Assert.False(match.Success, $"The compiled template contains '{match.Value}': settings must use identities, not keys.");
    }

    [Fact]
    public void FunctionAppSettings_HoldNoKeysOrSecretConnectionStrings()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        foreach (var (name, value) in settings)
        {
            Assert.DoesNotMatch(SecretPattern(), value.Text());
            Assert.False(
                name.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase)
                || (name.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) && name != "APPLICATIONINSIGHTS_CONNECTION_STRING"),
                $"App setting {name} looks like a connection string; use service URIs and the managed identity.");
        }
    }

    [Fact]
    public void ApplicationInsightsConnectionString_ComesFromTheComponentNotAKey()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        var value = settings["APPLICATIONINSIGHTS_CONNECTION_STRING"].Text();

        Assert.Contains("Microsoft.Insights/components", value, StringComparison.Ordinal);
        Assert.EndsWith(".ConnectionString]", value, StringComparison.Ordinal);
    }

    [Fact]
    public void HostStorage_IsIdentityBasedWithServiceUris()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        Assert.All(Contract.HostStorageSettings, name => Assert.True(settings.ContainsKey(name), $"Missing app setting {name}."));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"].GetString());
        Assert.Contains("primaryEndpoints.blob", settings["AzureWebJobsStorage__blobServiceUri"].Text(), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.queue", settings["AzureWebJobsStorage__queueServiceUri"].Text(), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.table", settings["AzureWebJobsStorage__tableServiceUri"].Text(), StringComparison.Ordinal);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"].Text());
    }

    [Fact]
    public void ProductSettings_UseTheAgreedClvSectionKeyNames()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        var clvSettings = settings.Keys.Where(k => k.StartsWith("Clv__", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(Contract.ClvSettings.Order(StringComparer.Ordinal), clvSettings);
    }

    [Fact]
    public void ProductStorageSettings_PointAtTheServiceEndpointsAndTheIdentity()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        Assert.Contains("primaryEndpoints.blob", settings["Clv__Storage__BlobServiceUri"].Text(), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.queue", settings["Clv__Storage__QueueServiceUri"].Text(), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.table", settings["Clv__Storage__TableServiceUri"].Text(), StringComparison.Ordinal);
        Assert.Equal("[parameters('identityClientId')]", settings["Clv__Storage__ManagedIdentityClientId"].Text());
    }

    [Fact]
    public void TrainTimerSchedule_IsAlsoAFlatSettingForItsBindingExpression()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        Assert.Equal("[parameters('trainingSchedule')]", settings["ClvTrainingSchedule"].Text());
        Assert.Equal(settings["Clv__Training__Schedule"].Text(), settings["ClvTrainingSchedule"].Text());
    }

    [Fact]
    public void CustomerIdKey_IsAKeyVaultReferenceOrEmpty()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        var key = settings["Clv__Ingest__CustomerIdKey"].Text();
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", key, StringComparison.Ordinal);
        Assert.Contains("parameters('customerIdKeySecretUri')", key, StringComparison.Ordinal);
    }

    [Fact]
    public void FlexApp_ScoresOnCpu()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        Assert.Equal("cpu", settings["Clv__Scoring__ExecutionProvider"].GetString());
    }

    [Fact]
    public void FlexApp_LeavesRuntimeSelectionToFunctionAppConfig()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        // Flex Consumption rejects these settings; the runtime is in functionAppConfig.runtime.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
    }

    [Fact]
    public void Telemetry_AuthenticatesWithTheManagedIdentity()
    {
        var settings = CompiledTemplate.Get().FunctionAppSettings();

        Assert.Equal(
            "[format('Authorization=AAD;ClientId={0}', parameters('identityClientId'))]",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"].Text());
    }
}
