using Clv.Infra.Tests.Arm;

namespace Clv.Infra.Tests.Bicep;

/// <summary>A parameter file compiled with a given environment: the template and its resolved parameter values.</summary>
/// <param name="Template">The compiled template, with the file's values as parameter overrides.</param>
/// <param name="Parameters">The parameter values the file resolves to.</param>
public sealed record ParameterScenario(ArmTemplate Template, IReadOnlyDictionary<string, object?> Parameters);

/// <summary>
/// The parameter files compiled once per test run (each Bicep CLI run takes seconds): dev with no
/// environment variables, and prod with every variable the files read set.
/// </summary>
public static class ParameterScenarios
{
    /// <summary>Action group id given to the prod scenario through CLV_ACTION_GROUP_ID.</summary>
    public const string ActionGroupId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/microsoft.insights/actionGroups/on-call";

    /// <summary>Operator object id given to the prod scenario through CLV_OPERATOR_PRINCIPAL_ID.</summary>
    public const string OperatorPrincipalId = "00000000-0000-0000-0000-00000000000a";

    /// <summary>GPU image given to the prod scenario through CLV_GPU_IMAGE.</summary>
    public const string GpuImage = "clvregistry.azurecr.io/clv-functions:cuda";

    private static readonly Lazy<ParameterScenario> DevScenario = new(() => Build("dev", new Dictionary<string, string>()));

    private static readonly Lazy<ParameterScenario> ProdScenario = new(() => Build("prod", new Dictionary<string, string>
    {
        ["CLV_GPU_SCORING"] = "true",
        ["CLV_GPU_IMAGE"] = GpuImage,
        ["CLV_ACTION_GROUP_ID"] = ActionGroupId,
        ["CLV_OPERATOR_PRINCIPAL_ID"] = OperatorPrincipalId,
    }));

    /// <summary>main.dev.bicepparam with no CLV_ environment variables.</summary>
    public static ParameterScenario Dev()
    {
        CompiledTemplate.Cli();
        return DevScenario.Value;
    }

    /// <summary>main.prod.bicepparam with the GPU scorer on, an action group and an operator.</summary>
    public static ParameterScenario ProdWithGpuAndOperators()
    {
        CompiledTemplate.Cli();
        return ProdScenario.Value;
    }

    private static ParameterScenario Build(string environmentName, IReadOnlyDictionary<string, string> environment)
    {
        var cli = BicepCli.Find(out _)!;
        var (templateJson, parameters) = cli.BuildParams(RepositoryPaths.ParameterFile(environmentName), environment);
        return new ParameterScenario(ArmTemplate.Parse(templateJson, parameters), parameters);
    }
}
