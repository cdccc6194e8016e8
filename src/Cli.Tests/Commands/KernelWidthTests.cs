using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

/// <summary>Tests that set <c>CLV_KERNEL</c>, a process-wide variable, so they run alone.</summary>
[CollectionDefinition(nameof(KernelWidthTests), DisableParallelization = true)]
public sealed class KernelWidthCollection;

[Collection(nameof(KernelWidthTests))]
public sealed class KernelWidthTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-kernel-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void AnyCommand_WithAnUnknownKernelWidth_FailsNamingTheVariable()
    {
        var console = new TestConsole();
        var output = Path.Combine(_directory.FullName, "demo");

        var exitCode = WithKernel("avx10", () => CliApp.Run(["demo", "--output", output, "--customers", "600"], console));

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("CLV_KERNEL='avx10' names no kernel width", console.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the demo started although the kernel width was refused");
    }

    [Fact]
    public void AnyCommand_WithScalarKernel_Runs()
    {
        var console = new TestConsole();
        var path = Path.Combine(_directory.FullName, "orders.csv");

        var exitCode = WithKernel("scalar", () => CliApp.Run(["generate", "-o", path, "--customers", "50"], console));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.True(File.Exists(path));
    }

    private static int WithKernel(string value, Func<int> action)
    {
        var previous = Environment.GetEnvironmentVariable("CLV_KERNEL");
        Environment.SetEnvironmentVariable("CLV_KERNEL", value);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLV_KERNEL", previous);
        }
    }
}
