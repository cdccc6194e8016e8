using System.Reflection.PortableExecutable;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>
/// <c>dotnet publish src/Functions</c> (run by ./test.sh, which names the folder in <c>CLV_FUNCTIONS_PUBLISH</c>) holds
/// what a Flex Consumption zip deployment needs, compiled ReadyToRun for Linux x64.
/// </summary>
public sealed class FunctionsPackageTests
{
    private static string PublishFolder()
    {
        var folder = Environment.GetEnvironmentVariable("CLV_FUNCTIONS_PUBLISH");
        if (string.IsNullOrEmpty(folder))
        {
            Assert.Skip("CLV_FUNCTIONS_PUBLISH is unset: ./test.sh publishes src/Functions and names the folder there.");
        }

        Assert.True(Directory.Exists(folder), $"CLV_FUNCTIONS_PUBLISH names {folder}, which does not exist.");
        return folder;
    }

    [Theory]
    [InlineData("host.json")]
    [InlineData("functions.metadata")]
    [InlineData("worker.config.json")]
    [InlineData("extensions.json")]
    [InlineData("Clv.Functions.dll")]
    [InlineData(".azurefunctions/function.deps.json")]
    public void Package_HoldsWhatTheHostReads(string relativePath)
    {
        var path = Path.Combine(PublishFolder(), relativePath);

        Assert.True(File.Exists(path), $"The published package lacks {relativePath}.");
    }

    [Fact]
    public void Package_CarriesTheRepositoryHostJson()
    {
        var published = File.ReadAllText(Path.Combine(PublishFolder(), "host.json"));

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")), published);
    }

    [Theory]
    [InlineData("Clv.Functions.dll")]
    [InlineData("Clv.Pipeline.dll")]
    [InlineData("Clv.Modeling.dll")]
    public void ProductAssemblies_AreCompiledReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(Path.Combine(PublishFolder(), assembly));
        using var reader = new PEReader(stream);

        var header = reader.PEHeaders.CorHeader!;

        Assert.True(header.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} has no ReadyToRun code: the cold start would wait for the JIT.");
    }

    [Fact]
    public void Package_IsForLinuxX64_WithTheCpuRuntimeOnly()
    {
        var folder = PublishFolder();
        var natives = Directory.EnumerateFiles(folder, "*.so", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        Assert.Contains("libonnxruntime.so", natives);
        Assert.DoesNotContain("libonnxruntime_providers_cuda.so", natives);
        // The app's own files (the host's extension payload under .azurefunctions is the Functions SDK's).
        var own = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p))
            .Where(p => !p.StartsWith(".azurefunctions", StringComparison.Ordinal));
        Assert.DoesNotContain(own, p => p.StartsWith("runtimes", StringComparison.Ordinal));
    }
}
