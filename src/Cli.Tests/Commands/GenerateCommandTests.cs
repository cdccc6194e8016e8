using System.Text.Json;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-generate-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Generate_SameSeedTwice_WritesIdenticalFiles()
    {
        var first = Path.Combine(_directory.FullName, "a.csv");
        var second = Path.Combine(_directory.FullName, "b.csv");

        var exitA = CliApp.Run(["generate", "--output", first, "--customers", "300", "--seed", "5"], new TestConsole());
        var exitB = CliApp.Run(["generate", "--output", second, "--customers", "300", "--seed", "5"], new TestConsole());

        Assert.Equal(ExitCodes.Success, exitA);
        Assert.Equal(ExitCodes.Success, exitB);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Generate_ModeDefaultsToRealistic_AndBgNbdWritesTheExactBgNbdProcess()
    {
        var byDefault = Path.Combine(_directory.FullName, "default.csv");
        var realistic = Path.Combine(_directory.FullName, "realistic.csv");
        var bgNbd = Path.Combine(_directory.FullName, "bgnbd.csv");
        var library = Path.Combine(_directory.FullName, "library.csv");

        Assert.Equal(ExitCodes.Success, CliApp.Run(["generate", "-o", byDefault, "--customers", "300", "--seed", "5"], new TestConsole()));
        Assert.Equal(ExitCodes.Success, CliApp.Run(["generate", "-o", realistic, "--customers", "300", "--seed", "5", "--mode", "realistic"], new TestConsole()));
        Assert.Equal(ExitCodes.Success, CliApp.Run(["generate", "-o", bgNbd, "--customers", "300", "--seed", "5", "--mode", "bgnbd"], new TestConsole()));
        Clv.Modeling.Synthetic.SyntheticExportGenerator.WriteFile(library, new() { Mode = Clv.Modeling.Synthetic.SyntheticMode.BgNbd, Customers = 300, Seed = 5 }, TestContext.Current.CancellationToken);

        Assert.Equal(File.ReadAllBytes(realistic), File.ReadAllBytes(byDefault));
        Assert.NotEqual(File.ReadAllBytes(realistic), File.ReadAllBytes(bgNbd));
        Assert.Equal(File.ReadAllBytes(library), File.ReadAllBytes(bgNbd));
    }

    [Fact]
    public void Generate_WithAnUnknownMode_IsAUsageErrorNamingTheChoices()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["generate", "-o", Path.Combine(_directory.FullName, "x.csv"), "--mode", "pareto"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("bgnbd", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_WithJson_ReportsRowsAndBytesOfTheFile()
    {
        var path = Path.Combine(_directory.FullName, "orders.csv");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["generate", "-o", path, "--customers", "200", "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Equal(new FileInfo(path).Length, document.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(File.ReadLines(path).Count() - 1, document.RootElement.GetProperty("rows").GetInt64());
    }

    [Fact]
    public void Generate_WithSize_GrowsTheFileToThatSize()
    {
        var path = Path.Combine(_directory.FullName, "sized.csv");

        var exitCode = CliApp.Run(["generate", "-o", path, "--size", "2MB"], new TestConsole());

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.InRange(new FileInfo(path).Length, 2_000_000, 4_000_000);
    }

    [Fact]
    public void Generate_WithBadSize_FailsWithUsageErrorAndHint()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["generate", "-o", Path.Combine(_directory.FullName, "x.csv"), "--size", "lots"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("error: --size 'lots' is not a size.", console.Output, StringComparison.Ordinal);
        Assert.Contains("hint:", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_WithoutOutput_FailsWithUsageError()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["generate"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("error: --output is required.", console.Output, StringComparison.Ordinal);
    }
}
