using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class ParameterFileTests
{
    [Fact]
    public void DevParameters_NameTheEnvironmentAndLeaveOptionalPartsOff()
    {
        var parameters = ParameterScenarios.Dev().Parameters;

        Assert.Equal("dev", parameters["environmentName"]);
        Assert.Equal(false, parameters["deployGpuScoring"]);
        Assert.Equal(string.Empty, parameters["actionGroupId"]);
        Assert.Equal(string.Empty, parameters["operatorPrincipalId"]);
    }

    [Fact]
    public void ProdParameters_AcceptOnlyEntraTelemetryAndUseZoneRedundantStorage()
    {
        var parameters = ParameterScenarios.ProdWithGpuAndOperators().Parameters;

        Assert.Equal("prod", parameters["environmentName"]);
        Assert.Equal(true, parameters["appInsightsEntraAuthOnly"]);
        Assert.Equal("Standard_ZRS", parameters["storageSku"]);
    }

    [Fact]
    public void StoragePublicNetworkAccess_IsDeniedInProdAndAllowedInDev()
    {
        Assert.Equal("Disabled", ParameterScenarios.ProdWithGpuAndOperators().Parameters["storagePublicNetworkAccess"]);
        Assert.False(ParameterScenarios.Dev().Parameters.ContainsKey("storagePublicNetworkAccess"));
        Assert.Equal("Enabled", CompiledTemplate.Get().Root.GetProperty("parameters").GetProperty("storagePublicNetworkAccess").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void ProdParameters_TakeTheActionGroupOperatorAndGpuImageFromTheEnvironment()
    {
        var parameters = ParameterScenarios.ProdWithGpuAndOperators().Parameters;

        Assert.Equal(ParameterScenarios.ActionGroupId, parameters["actionGroupId"]);
        Assert.Equal(ParameterScenarios.OperatorPrincipalId, parameters["operatorPrincipalId"]);
        Assert.Equal(true, parameters["deployGpuScoring"]);
        Assert.Equal(ParameterScenarios.GpuImage, parameters["gpuScoringImage"]);
    }

    [Fact]
    public void ProdWithAnOperator_GrantsTheOperatorRoles()
    {
        var template = ParameterScenarios.ProdWithGpuAndOperators().Template;

        Assert.True(template.Module("operator-storage-roles").IsDeployed());
    }
}
