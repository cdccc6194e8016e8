namespace Clv.Infra.Tests.Bicep;

/// <summary>Paths of the infrastructure files, found from the test binaries by walking up to the solution.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>Repository root (the folder with Serverless.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>infra/bicep.</summary>
    public static string BicepFolder => Path.Combine(Root, "infra", "bicep");

    /// <summary>infra/bicep/main.bicep.</summary>
    public static string MainBicep => Path.Combine(BicepFolder, "main.bicep");

    /// <summary>A parameter file of infra/bicep, e.g. <c>main.dev.bicepparam</c>.</summary>
    public static string ParameterFile(string environmentName) => Path.Combine(BicepFolder, $"main.{environmentName}.bicepparam");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Serverless.sln above {AppContext.BaseDirectory}.");
    }
}
