using System.Diagnostics.CodeAnalysis;

namespace Clv.Cli.Commands;

/// <summary>
/// Whether this build of <c>clv</c> can run <c>clv host</c>. The pipeline binds its settings with the configuration
/// binder, which reflects over the options records; a natively compiled <c>clv</c> has no such reflection, so its
/// build sets the switch off (Cli.csproj) and the compiler leaves the host out.
/// </summary>
internal static class HostSupport
{
    private const string Switch = "Clv.Cli.HostIsSupported";

    /// <summary><see langword="false"/> in the natively compiled <c>clv</c>.</summary>
    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var supported) || supported;
}
