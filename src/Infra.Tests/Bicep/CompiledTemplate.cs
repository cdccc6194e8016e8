using Clv.Infra.Tests.Arm;

namespace Clv.Infra.Tests.Bicep;

/// <summary>
/// The compiled infra/bicep/main.bicep, loaded once per test run: the JSON ./test.sh built
/// (<c>CLV_ARM_TEMPLATE</c>), else compiled here with the pinned Bicep CLI.
/// </summary>
public static class CompiledTemplate
{
    private static readonly Lazy<(ArmTemplate? Template, string Reason)> Loaded = new(Load);

    /// <summary>The default-parameter template, or a skip with the reason it is unavailable.</summary>
    public static ArmTemplate Get()
    {
        var (template, reason) = Loaded.Value;
        if (template is null)
        {
            Assert.Skip(reason);
        }

        return template;
    }

    /// <summary>The Bicep CLI, or a skip naming where it was looked for.</summary>
    public static BicepCli Cli()
    {
        var cli = BicepCli.Find(out var searched);
        if (cli is null)
        {
            Assert.Skip($"Bicep CLI {BicepCli.PinnedVersion} not found (looked at {searched}); run `dotnet restore tools/bicep/Bicep.csproj` or ./test.sh.");
        }

        return cli;
    }

    private static (ArmTemplate?, string) Load()
    {
        if (Environment.GetEnvironmentVariable("CLV_ARM_TEMPLATE") is { Length: > 0 } path)
        {
            return File.Exists(path)
                ? (ArmTemplate.Parse(File.ReadAllText(path)), string.Empty)
                : throw new FileNotFoundException($"CLV_ARM_TEMPLATE names {path}, which does not exist.", path);
        }

        var cli = BicepCli.Find(out var searched);
        if (cli is null)
        {
            return (null, $"CLV_ARM_TEMPLATE is unset and Bicep CLI {BicepCli.PinnedVersion} was not found (looked at {searched}); run ./test.sh, which builds the template.");
        }

        return (ArmTemplate.Parse(cli.Build(RepositoryPaths.MainBicep)), string.Empty);
    }
}
