using Clv.Infra.Tests.Arm;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class RoleAssignmentTests
{
    private const string StorageScope = "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]";

    private static IReadOnlyList<string> RoleIds(ArmTemplate template, string module)
    {
        var deployment = template.Module(module);
        var scope = deployment.Scope.Nested(deployment.Json);
        return ((IEnumerable<object?>)scope.Parameter("roleDefinitionIds")!).Cast<string>().ToList();
    }

    [Fact]
    public void AppIdentity_GetsExactlyTheBlobQueueAndTableDataRoles()
    {
        var roles = RoleIds(CompiledTemplate.Get(), "app-storage-roles");

        Assert.Equal(
            new[] { Contract.Roles.StorageBlobDataOwner, Contract.Roles.StorageQueueDataContributor, Contract.Roles.StorageTableDataContributor }.Order(StringComparer.Ordinal),
            roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AppIdentityRoles_GoToTheManagedIdentity()
    {
        var deployment = CompiledTemplate.Get().Module("app-storage-roles");

        var parameters = deployment.Properties.GetProperty("parameters");

        Assert.Contains("'identity'", parameters.GetProperty("principalId").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains(".outputs.principalId.value", parameters.GetProperty("principalId").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", parameters.GetProperty("principalType").GetProperty("value").GetString());
    }

    [Fact]
    public void StorageRoleAssignments_AreScopedToTheStorageAccount()
    {
        var assignments = CompiledTemplate.Get().OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Module.EndsWith("storage-roles", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(2, assignments.Count);
        Assert.All(assignments, a => Assert.Equal(StorageScope, a.Json.GetProperty("scope").GetString()));
    }

    [Fact]
    public void StorageRoleAssignments_HaveNamesDerivedFromScopePrincipalAndRole()
    {
        var assignments = CompiledTemplate.Get().OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Module.EndsWith("storage-roles", StringComparison.Ordinal));

        Assert.All(assignments, a =>
        {
            Assert.Equal($"[guid({StorageScope[1..^1]}, parameters('principalKey'), parameters('roleDefinitionIds')[copyIndex()])]", a.Name);
            Assert.Equal(
                "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', parameters('roleDefinitionIds')[copyIndex()])]",
                a.Properties.GetProperty("roleDefinitionId").GetString());
        });
    }

    [Fact]
    public void AppIdentityAssignmentNames_UseTheIdentityResourceId()
    {
        var template = CompiledTemplate.Get();

        var principalKey = template.Module("app-storage-roles").Properties.GetProperty("parameters").GetProperty("principalKey").GetProperty("value").GetString();
        var identityId = template.Root.GetProperty("variables").GetProperty("identityId").GetString();

        Assert.Equal("[variables('identityId')]", principalKey);
        Assert.StartsWith("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities'", identityId, StringComparison.Ordinal);
    }

    [Fact]
    public void Operator_GetsReadRolesOnTheAccount_SoCannotOverwriteModels()
    {
        var roles = RoleIds(CompiledTemplate.Get(), "operator-storage-roles");

        Assert.Equal(
            new[] { Contract.Roles.StorageBlobDataReader, Contract.Roles.StorageTableDataReader }.Order(StringComparer.Ordinal),
            roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Operator_MayWriteBlobsOnlyInTheExportsContainer()
    {
        var deployment = CompiledTemplate.Get().Module("operator-exports-role");
        var parameters = deployment.Properties.GetProperty("parameters");
        var assignment = Assert.Single(CompiledTemplate.Get().OfType("Microsoft.Authorization/roleAssignments"), a => a.Module == "operator-exports-role");

        Assert.Equal("[variables('storageBlobDataContributor')]", parameters.GetProperty("roleDefinitionId").GetProperty("value").GetString());
        Assert.Equal(Contract.Roles.StorageBlobDataContributor, CompiledTemplate.Get().Root.GetProperty("variables").GetProperty("storageBlobDataContributor").GetString());
        Assert.Equal("exports", parameters.GetProperty("containerName").GetProperty("value").GetString());
        Assert.Contains("blobServices/containers", assignment.Json.GetProperty("scope").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("00000000-0000-0000-0000-000000000001", true)]
    public void OperatorRoles_AreGrantedOnlyWhenAnOperatorIsNamed(string operatorPrincipalId, bool granted)
    {
        var template = ArmTemplate.Parse(CompiledTemplate.Get().Text, new Dictionary<string, object?> { ["operatorPrincipalId"] = operatorPrincipalId });

        Assert.Equal(granted, template.Module("operator-storage-roles").IsDeployed());
    }

    [Fact]
    public void TelemetryPublisherRole_IsScopedToApplicationInsights()
    {
        var assignment = CompiledTemplate.Get().OfType("Microsoft.Authorization/roleAssignments").Single(a => a.Module == "telemetry-roles");

        Assert.Equal("[resourceId('Microsoft.Insights/components', parameters('appInsightsName'))]", assignment.Json.GetProperty("scope").GetString());
        Assert.Equal(Contract.Roles.MonitoringMetricsPublisher, assignment.Scope.Variable("monitoringMetricsPublisher"));
        Assert.StartsWith("[guid(resourceId('Microsoft.Insights/components', parameters('appInsightsName')), parameters('identityId'), ", assignment.Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Contract.Roles.Owner)]
    [InlineData(Contract.Roles.Contributor)]
    [InlineData(Contract.Roles.UserAccessAdministrator)]
    [InlineData(Contract.Roles.StorageAccountContributor)]
    public void Template_NeverGrantsAControlPlaneRole(string roleId)
    {
        var template = CompiledTemplate.Get();

        Assert.DoesNotContain(roleId, template.Text, StringComparison.OrdinalIgnoreCase);
    }
}
