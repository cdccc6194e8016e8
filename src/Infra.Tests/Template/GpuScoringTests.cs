using Clv.Infra.Tests.Arm;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class GpuScoringTests
{
    [Fact]
    public void GpuScorer_IsDeployedWhenTheParameterFileTurnsItOn()
    {
        var template = ParameterScenarios.ProdWithGpuAndOperators().Template;

        var containerResources = template.Resources.Where(r => r.Type.StartsWith("Microsoft.App/", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.Equal(["Microsoft.App/containerApps", "Microsoft.App/managedEnvironments"], containerResources.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.All(containerResources, r => Assert.True(r.IsDeployed()));
    }

    [Fact]
    public void GpuScorer_IsNotDeployedWhenTheParameterFileLeavesItOff()
    {
        var template = ParameterScenarios.Dev().Template;

        var containerResources = template.Resources.Where(r => r.Type.StartsWith("Microsoft.App/", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.NotEmpty(containerResources);
        Assert.All(containerResources, r => Assert.False(r.IsDeployed()));
    }

    [Fact]
    public void GpuScorer_RunsTheImageTheParameterFileNames()
    {
        var scorer = ParameterScenarios.ProdWithGpuAndOperators().Template.Single("Microsoft.App/containerApps");

        var container = scorer.Properties.GetProperty("template").GetProperty("containers")[0];

        Assert.Equal(ParameterScenarios.GpuImage, scorer.Evaluate(container.GetProperty("image")));
    }

    [Fact]
    public void GpuScorer_IsOffByDefault()
    {
        var scorer = CompiledTemplate.Get().Single("Microsoft.App/containerApps");

        Assert.False(scorer.IsDeployed());
    }

    [Fact]
    public void GpuScorer_IsAFunctionAppOnAServerlessGpuProfile()
    {
        var template = CompiledTemplate.Get();
        var scorer = template.Single("Microsoft.App/containerApps");
        var environment = template.Single("Microsoft.App/managedEnvironments");

        var profileName = scorer.Evaluate(scorer.Properties.GetProperty("workloadProfileName"));
        var profile = environment.Properties.GetProperty("workloadProfiles").EnumerateArray()
            .Single(p => Equals(environment.Evaluate(p.GetProperty("name")), profileName));

        Assert.Equal("functionapp", scorer.Json.GetProperty("kind").GetString());
        Assert.StartsWith("Consumption-GPU-", (string)environment.Evaluate(profile.GetProperty("workloadProfileType"))!, StringComparison.Ordinal);
    }

    [Fact]
    public void GpuScorer_ScoresWithCudaAsTheManagedIdentity()
    {
        var environment = CompiledTemplate.Get().GpuScorerEnvironment();

        Assert.Equal("cuda", environment["Clv__Scoring__ExecutionProvider"].GetString());
        Assert.Equal("managedidentity", environment["AzureWebJobsStorage__credential"].GetString());
        Assert.All(Contract.HostStorageSettings, name => Assert.True(environment.ContainsKey(name), $"Missing {name}."));
        Assert.All(environment.Values, v => Assert.DoesNotContain("AccountKey=", v.Text(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void GpuScorer_LeavesTrainingAndIngestionToTheFlexApp()
    {
        var environment = CompiledTemplate.Get().GpuScorerEnvironment();

        Assert.Equal("true", environment["AzureWebJobs.Train.Disabled"].GetString());
        Assert.Equal("true", environment["AzureWebJobs.Featurize.Disabled"].GetString());
    }

    [Fact]
    public void GpuScorer_ResolvesTheDisabledTimersScheduleSetting()
    {
        var environment = CompiledTemplate.Get().GpuScorerEnvironment();

        Assert.True(environment.ContainsKey("ClvTrainingSchedule"), "The Train timer's binding expression %ClvTrainingSchedule% needs the setting even where the function is disabled.");
    }

    [Theory]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    public void FlexApp_HandsShardScoringToTheGpuScorerOnlyWhenItIsDeployed(bool gpuScoring, string disabled)
    {
        var template = ArmTemplate.Parse(CompiledTemplate.Get().Text, new Dictionary<string, object?> { ["deployGpuScoring"] = gpuScoring });
        var config = template.OfType("Microsoft.Web/sites/config").Single();

        var value = config.Evaluate(config.Properties.GetProperty("AzureWebJobs.ScoreShard.Disabled"));

        Assert.Equal(disabled, value);
    }
}
