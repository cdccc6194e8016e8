using Azure.Core;
using Azure.Identity;

namespace Clv.Pipeline.Hosting;

/// <summary>
/// Reads <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>Authorization=AAD;ClientId={client id}</c>), the setting with
/// which an Application Insights component that accepts Microsoft Entra authentication only is reached.
/// </summary>
internal static class AppInsightsAuthentication
{
    /// <summary>Environment variable holding the authentication string.</summary>
    public const string Variable = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// The client id of the managed identity named by <paramref name="authenticationString"/>: <see langword="null"/>
    /// when it does not ask for Microsoft Entra authentication, empty for the system-assigned identity.
    /// </summary>
    public static string? ManagedIdentityClientId(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var pairs = authenticationString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!pairs.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return pairs.GetValueOrDefault("ClientId") ?? string.Empty;
    }

    /// <summary>The managed-identity credential the exporter sends with, or <see langword="null"/> for key-based ingestion.</summary>
    public static TokenCredential? Credential(string? authenticationString) =>
        ManagedIdentityClientId(authenticationString) switch
        {
            null => null,
            "" => new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned),
            var clientId => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)),
        };
}
