using System.Diagnostics;
using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Modeling.Synthetic;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Native;

/// <summary>
/// The natively compiled <c>clv</c> (<c>dotnet publish src/Cli -c Release -r linux-x64 -p:PublishAot=true</c>, run by
/// ./test.sh, which names the executable in <c>CLV_NATIVE</c>) does what the managed tool does: the same partials,
/// the same JSON, the whole demo from export to scores, and a clear refusal where it cannot serve.
/// </summary>
public sealed class NativeClvTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-native-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Featurize_NativelyCompiled_WritesTheSamePartialsAndRejectedRowsAsTheManagedTool()
    {
        var executable = NativeExecutable();
        var input = Path.Combine(_directory.FullName, "orders.csv");
        SyntheticExportGenerator.WriteFile(input, new SyntheticExportOptions { Customers = 800, Seed = 5, DirtyRowRate = 0.02 }, TestContext.Current.CancellationToken);
        var nativeOutput = Path.Combine(_directory.FullName, "native");
        var managedOutput = Path.Combine(_directory.FullName, "managed");
        var console = new TestConsole();

        var native = Run(executable, "featurize", "--input", input, "--output", nativeOutput, "--json");
        var managedExitCode = CliApp.Run(["featurize", "--input", input, "--output", managedOutput, "--json"], console);

        Assert.True(native.ExitCode == ExitCodes.Success, $"native clv featurize exited {native.ExitCode}: {native.Error}");
        Assert.Equal(ExitCodes.Success, managedExitCode);
        using var nativeReport = JsonDocument.Parse(native.Output);
        using var managedReport = JsonDocument.Parse(console.Output);
        foreach (var key in new[] { "profile", "rows", "accepted", "rejected", "skipped", "excluded", "customers", "totalSpend" })
        {
            Assert.Equal(managedReport.RootElement.GetProperty(key).GetRawText(), nativeReport.RootElement.GetProperty(key).GetRawText());
        }

        var nativePartials = await ReadPartialsAsync(Path.Combine(nativeOutput, "features", "orders.parquet"));
        var managedPartials = await ReadPartialsAsync(Path.Combine(managedOutput, "features", "orders.parquet"));
        Assert.Equal(managedPartials.CustomerIds, nativePartials.CustomerIds);
        Assert.Equal(managedPartials.BucketStarts, nativePartials.BucketStarts);
        Assert.Equal(managedPartials.NetSpend, nativePartials.NetSpend);
        Assert.Equal(managedPartials.Orders, nativePartials.Orders);
        Assert.Equal(managedPartials.Items, nativePartials.Items);
        Assert.Equal(managedPartials.Returns, nativePartials.Returns);
        Assert.Equal(
            File.ReadAllText(Path.Combine(managedOutput, "rejected", "orders.csv")),
            File.ReadAllText(Path.Combine(nativeOutput, "rejected", "orders.csv")));
    }

    [Fact]
    public void Inspect_NativelyCompiled_PrintsTheSameJsonAsTheManagedTool()
    {
        var executable = NativeExecutable();
        var input = Path.Combine(_directory.FullName, "orders.csv");
        SyntheticExportGenerator.WriteFile(input, new SyntheticExportOptions { Customers = 200, Seed = 2 }, TestContext.Current.CancellationToken);
        var console = new TestConsole();

        var native = Run(executable, "inspect", "--input", input, "--json");
        var managedExitCode = CliApp.Run(["inspect", "--input", input, "--json"], console);

        Assert.True(native.ExitCode == ExitCodes.Success, $"native clv inspect exited {native.ExitCode}: {native.Error}");
        Assert.Equal(ExitCodes.Success, managedExitCode);
        Assert.Equal(console.Output.Trim(), native.Output.Trim());
    }

    [Fact]
    public void Demo_NativelyCompiled_TrainsEvaluatesExportsAndScoresEveryCustomer()
    {
        var executable = NativeExecutable();
        var output = Path.Combine(_directory.FullName, "demo");

        var native = Run(executable, "demo", "--output", output, "--customers", "600", "--epochs", "3", "--hidden", "8", "--json");

        Assert.True(native.ExitCode == ExitCodes.Success, $"native clv demo exited {native.ExitCode}: {native.Error}");
        using var document = JsonDocument.Parse(native.Output);
        var root = document.RootElement;
        foreach (var key in new[] { "model", "report", "reportHtml", "predictions", "predictionsParquet" })
        {
            var path = root.GetProperty(key).GetString()!;
            Assert.True(File.Exists(path), $"{key} was not written at {path}");
        }

        Assert.Equal(600, root.GetProperty("customersScored").GetInt32());
        Assert.Equal(601, File.ReadLines(root.GetProperty("predictions").GetString()!).Count());
        var report = File.ReadAllText(root.GetProperty("report").GetString()!);
        Assert.Contains("gbm", report, StringComparison.Ordinal);
    }

    /// <summary>
    /// Where LightGBM's native library is missing (the LightGBM package ships none for ARM64, so on Azure's Cobalt
    /// instances), training goes on without the gbm baseline and says why; the other baselines still run.
    /// </summary>
    [Fact]
    public void Demo_WithoutLightGbmsNativeLibrary_LeavesTheGbmBaselineOutAndSaysWhy()
    {
        var executable = NativeExecutable();
        var bin = Directory.CreateDirectory(Path.Combine(_directory.FullName, "bin"));
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(executable)!))
        {
            if (!Path.GetFileName(file).Contains("lightgbm", StringComparison.OrdinalIgnoreCase))
            {
                File.Copy(file, Path.Combine(bin.FullName, Path.GetFileName(file)));
            }
        }

        var output = Path.Combine(_directory.FullName, "demo");

        var native = Run(Path.Combine(bin.FullName, Path.GetFileName(executable)), "demo", "--output", output, "--customers", "600", "--epochs", "3", "--hidden", "8", "--json");

        Assert.True(native.ExitCode == ExitCodes.Success, $"clv demo without LightGBM exited {native.ExitCode}: {native.Error}");
        using var document = JsonDocument.Parse(native.Output);
        var root = document.RootElement;
        Assert.Equal(600, root.GetProperty("customersScored").GetInt32());
        var report = File.ReadAllLines(root.GetProperty("report").GetString()!);
        var models = report.Where(line => line.StartsWith("| ", StringComparison.Ordinal)).Select(line => line.Split('|')[1].Trim()).ToList();
        Assert.Contains("bgnbd", models);
        Assert.Contains("naive", models);
        Assert.DoesNotContain("gbm", models);
        var text = string.Join(' ', report);
        Assert.Contains("The gbm baseline was left out: LightGBM's native library (lib_lightgbm) could not be loaded", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_NativelyCompiled_SaysWhichBuildRunsIt()
    {
        var executable = NativeExecutable();

        var native = Run(executable, "host", "--port", "0", "--no-watch", "--no-timer", "--no-queue");

        Assert.Equal(ExitCodes.Failed, native.ExitCode);
        // The console wraps long lines; the words are what count.
        var error = string.Join(' ', (native.Output + native.Error).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not part of the natively compiled clv", error, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Cli", error, StringComparison.Ordinal);
    }

    private static string NativeExecutable()
    {
        var path = Environment.GetEnvironmentVariable("CLV_NATIVE");
        if (string.IsNullOrEmpty(path))
        {
            Assert.Skip("CLV_NATIVE is unset: ./test.sh publishes clv natively compiled and names the executable there.");
        }

        Assert.True(File.Exists(path), $"CLV_NATIVE names {path}, which does not exist.");
        return path;
    }

    private static (int ExitCode, string Output, string Error) Run(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"clv {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalMinutes} minutes.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    private static async Task<PartialAggregates> ReadPartialsAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return await PartialAggregates.ReadParquetAsync(stream, TestContext.Current.CancellationToken);
    }
}
