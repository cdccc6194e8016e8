using System.Runtime.Intrinsics;
using System.Text.Json;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public sealed class DemoCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-demo-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Demo_WithJson_WritesModelReportAndPredictionsWhereItSays()
    {
        var output = Path.Combine(_directory.FullName, "demo");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["demo", "--output", output, "--customers", "600", "--epochs", "3", "--hidden", "8", "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        var root = document.RootElement;
        foreach (var key in new[] { "model", "report", "reportHtml", "predictions", "predictionsParquet" })
        {
            var path = root.GetProperty(key).GetString()!;
            Assert.StartsWith(Path.GetFullPath(output), path, StringComparison.Ordinal);
            Assert.True(File.Exists(path), $"{key} was not written at {path}");
        }

        Assert.Equal(600, root.GetProperty("customersScored").GetInt32());
        // The kernel trains at the widest vector width the machine accelerates unless CLV_KERNEL names one.
        var widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 32;
        var vectorWidth = root.GetProperty("training").GetProperty("vectorWidth").GetInt32();
        Assert.Equal(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CLV_KERNEL")) ? widest : vectorWidth, vectorWidth);
        Assert.Contains(vectorWidth, new[] { 32, 128, 256, 512 });
        Assert.Equal(601, File.ReadLines(root.GetProperty("predictions").GetString()!).Count());
        Assert.True(File.Exists(Path.Combine(output, "exports", "demo-orders.csv")));
    }

    [Fact]
    public void Demo_WithTooFewCustomers_FailsWithTheOptionNamed()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["demo", "--output", _directory.FullName, "--customers", "5"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("--customers 5", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_FailsWithNonZeroExitCode()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["no-such-command"], console);

        Assert.NotEqual(ExitCodes.Success, exitCode);
    }
}
