using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clv.Modeling.Synthetic;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary><c>clv generate</c>: writes a synthetic order export with a known generative process.</summary>
internal static class GenerateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var output = new Option<string>("--output", "-o") { Description = "File to write (.csv, or .csv.gz for gzip)." };
        var customers = new Option<int>("--customers") { Description = "Customers to generate.", DefaultValueFactory = _ => new SyntheticExportOptions().Customers };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => new SyntheticExportOptions().Seed };
        var size = new Option<string?>("--size") { Description = "Grow the export to about this size instead of a customer count, e.g. 500MB or 1GB." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result." };
        var mode = ModeOption();
        var command = new Command("generate", "Write a synthetic order export (repeat purchases, dropout, spend, cohorts, returns, a few dirty rows).")
        {
            output, customers, seed, size, mode, json,
        };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(
            console,
            parseResult.GetValue(output),
            parseResult.GetValue(customers),
            parseResult.GetValue(seed),
            parseResult.GetValue(size),
            ParseMode(parseResult.GetValue(mode)),
            parseResult.GetValue(json),
            cancellationToken)));
        return command;
    }

    /// <summary>
    /// <c>--mode realistic|bgnbd</c>: the generative process, shared by <c>generate</c> and <c>demo</c>; the default is the
    /// library's (<see cref="SyntheticMode.Realistic"/>).
    /// </summary>
    internal static Option<string> ModeOption()
    {
        var option = new Option<string>("--mode")
        {
            Description = "Generative process: realistic (seasonality, cohort spend trends, churn rising with inactivity) or bgnbd (exactly BG/NBD + Gamma-Gamma, a test of that baseline).",
            DefaultValueFactory = _ => ModeName(new SyntheticExportOptions().Mode),
        };
        return option;
    }

    /// <summary>The mode named on the command line.</summary>
    /// <exception cref="CliUserException">The name is neither <c>realistic</c> nor <c>bgnbd</c>.</exception>
    internal static SyntheticMode ParseMode(string? name) => name switch
    {
        "realistic" => SyntheticMode.Realistic,
        "bgnbd" => SyntheticMode.BgNbd,
        _ => throw new CliUserException($"--mode '{name}' is not a generative process.", "use --mode realistic (the default) or --mode bgnbd"),
    };

    /// <summary>The command-line name of <paramref name="mode"/>.</summary>
    internal static string ModeName(SyntheticMode mode) => mode == SyntheticMode.BgNbd ? "bgnbd" : "realistic";

    /// <summary>Parses sizes like <c>1GB</c>, <c>250MB</c>, <c>64KB</c> or a byte count (powers of 1000).</summary>
    internal static long ParseSize(string text)
    {
        var trimmed = text.Trim().ToUpperInvariant();
        (string Suffix, long Factor)[] units = [("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)];
        foreach (var (suffix, factor) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                return (long)(value * factor);
            }
        }

        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
        {
            return bytes;
        }

        throw new CliUserException($"--size '{text}' is not a size.", "use a positive size such as 1GB, 250MB or 1000000 (bytes)");
    }

    private static int Run(IAnsiConsole console, string? output, int customers, int seed, string? size, SyntheticMode mode, bool json, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new CliUserException("--output is required.", "clv generate --output orders.csv [--customers 10000] [--seed 1] [--size 1GB]");
        }

        if (customers < 1)
        {
            throw new CliUserException($"--customers {customers} must be at least 1.", "e.g. --customers 10000");
        }

        var options = new SyntheticExportOptions { Mode = mode, Customers = customers, Seed = seed, TargetBytes = size is null ? null : ParseSize(size) };
        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var summary = SyntheticExportGenerator.WriteFile(output, options, cancellationToken);
        if (json)
        {
            var report = new GenerateReport(output, summary.Customers, summary.Rows, summary.DirtyRows, summary.TextBytes, Math.Round(summary.TotalSpend, 2));
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.GenerateReport));
            return ExitCodes.Success;
        }

        console.MarkupLineInterpolated($"wrote [bold]{output}[/]: {summary.Rows:N0} rows ({summary.DirtyRows:N0} dirty), {summary.Customers:N0} customers, {summary.TextBytes / 1e6:N1} MB");
        return ExitCodes.Success;
    }
}

/// <summary>What <c>clv generate --json</c> prints.</summary>
/// <param name="Path">The file written, as given.</param>
/// <param name="Customers">Customers generated.</param>
/// <param name="Rows">Data rows written.</param>
/// <param name="DirtyRows">Rows written malformed on purpose.</param>
/// <param name="Bytes">Bytes of text written (before gzip).</param>
/// <param name="TotalSpend">The sum of amounts, rounded to cents.</param>
internal sealed record GenerateReport(string Path, int Customers, long Rows, long DirtyRows, long Bytes, double TotalSpend);
