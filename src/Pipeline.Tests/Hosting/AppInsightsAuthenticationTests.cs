using Clv.Pipeline.Hosting;

namespace Clv.Pipeline.Tests.Hosting;

public class AppInsightsAuthenticationTests
{
    [Fact]
    public void AadAuthenticationString_NamesTheUserAssignedIdentity() =>
        Assert.Equal("00000000-0000-0000-0000-000000000001", AppInsightsAuthentication.ManagedIdentityClientId("Authorization=AAD;ClientId=00000000-0000-0000-0000-000000000001"));

    [Fact]
    public void AadAuthenticationStringWithoutClientId_MeansTheSystemAssignedIdentity() =>
        Assert.Equal(string.Empty, AppInsightsAuthentication.ManagedIdentityClientId("Authorization=AAD"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Authorization=Key")]
    public void AbsentOrNonAadAuthenticationString_SendsWithoutACredential(string? value)
    {
        Assert.Null(AppInsightsAuthentication.ManagedIdentityClientId(value));
        Assert.Null(AppInsightsAuthentication.Credential(value));
    }
}
