using System.Text.RegularExpressions;
using Clv.Infra.Tests.Bicep;
using Clv.Infra.Tests.Template;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>
/// The GPU flavor (<c>-p:ClvGpu=true</c>) and the image the GPU scorer runs: the build carries ONNX Runtime's CUDA
/// provider, the Dockerfile installs every library that provider needs, and the image scores on CUDA.
/// </summary>
public sealed partial class GpuImageTests
{
    /// <summary>Which CUDA package of the Dockerfile provides each library the provider names (libcuda.so.1 is the host's driver).</summary>
    private static readonly Dictionary<string, string> CudaLibraryPackages = new(StringComparer.Ordinal)
    {
        ["libcudart.so.13"] = "cuda-cudart-13-0",
        ["libcublas.so.13"] = "libcublas-13-0",
        ["libcublasLt.so.13"] = "libcublas-13-0",
        ["libcurand.so.10"] = "libcurand-13-0",
    };

    [GeneratedRegex(@"^(libcu\w*|libcudnn\w*)\.so\.\d+$")]
    private static partial Regex CudaLibrary();

    private static string Dockerfile => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Functions", "Dockerfile"));

    private static string CudaProvider()
    {
        var path = Path.GetFullPath(Path.Combine(BuiltFunctionsApp.OutputFolder, "..", "..", "gpu", "Release", "net10.0", "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so"));
        if (!File.Exists(path))
        {
            if (Environment.GetEnvironmentVariable("CLV_REQUIRE_GPU_BUILD") == "1")
            {
                Assert.Fail($"{path} is missing: the GPU flavor (dotnet build src/Functions -c Release -p:ClvGpu=true) did not build.");
            }

            Assert.Skip($"The GPU flavor is not built ({path} is missing); ./test.sh builds it with -p:ClvGpu=true.");
        }

        return path;
    }

    [Fact]
    public void GpuBuild_CarriesTheCudaProvider_ForCuda13()
    {
        var needed = ElfLibraries.Needed(CudaProvider());

        Assert.Contains("libcudart.so.13", needed);
        Assert.Contains("libcuda.so.1", needed);
    }

    [Fact]
    public void Dockerfile_InstallsEveryCudaLibraryTheProviderNeeds()
    {
        var needed = ElfLibraries.Needed(CudaProvider()).Where(n => CudaLibrary().IsMatch(n) && n != "libcuda.so.1").ToList();

        Assert.NotEmpty(needed);
        Assert.All(needed, library =>
        {
            Assert.True(CudaLibraryPackages.TryGetValue(library, out var package), $"The CUDA provider needs {library}; name the package that provides it.");
            Assert.Contains(package, Dockerfile, StringComparison.Ordinal);
        });
        Assert.Contains("libcudnn9-cuda-13", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_PublishesTheGpuFlavor_OnTheIsolatedBaseImage_ScoringOnCuda()
    {
        var dockerfile = Dockerfile;

        Assert.Contains("dotnet publish src/Functions/Functions.csproj -c Release -p:ClvGpu=true", dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"ARG FUNCTIONS_IMAGE=mcr\.microsoft\.com/azure-functions/dotnet-isolated:4-dotnet-isolated10\.0", dockerfile);
        Assert.Contains("Clv__Scoring__ExecutionProvider=cuda", dockerfile, StringComparison.Ordinal);
        Assert.Contains("/home/site/wwwroot", dockerfile, StringComparison.Ordinal);
        Assert.Equal("cuda", CompiledTemplate.Get().GpuScorerEnvironment()["Clv__Scoring__ExecutionProvider"].GetString());
    }
}
