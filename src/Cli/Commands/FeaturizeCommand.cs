using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Clv.Cli.Local;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>
/// <c>clv featurize</c>: reads order exports into (customer, bucket) partials, written as
/// <c>{output}/features/{name}.parquet</c> with every rejected row in <c>{output}/rejected/{name}.csv</c>.
/// </summary>
internal static class FeaturizeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var input = new Option<string[]>("--input", "-i") { Description = "Export files (.csv, .txt, .csv.gz).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Directory for features/{name}.parquet and rejected/{name}.csv." };
        var bucket = new Option<string>("--bucket") { Description = "Bucket of the partials: day (keeps every model bucket and the baselines exact), week or month.", DefaultValueFactory = _ => "day" };
        var reader = new ExportOptionSet();
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result." };
        var command = new Command("featurize", "Read order exports, reject bad rows with reasons, and write per-(customer, bucket) partials as Parquet.");
        foreach (var option in new Option[] { input, output, bucket }.Concat(reader.All).Append(json))
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = reader.Bind(parseResult);
            var files = parseResult.GetValue(input) ?? [];
            return RunAsync(console, files, parseResult.GetValue(output), ExportOptionSet.ParseBucket(parseResult.GetValue(bucket)), options, parseResult.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, string[] files, string? output, BucketSize bucket, ExportReaderOptions options, bool json, CancellationToken cancellationToken)
    {
        LocalFeaturizer.RequireInputs(files, "clv featurize --input orders.csv [more.csv.gz ...] --output out/");
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new CliUserException("--output is required.", "give a directory, e.g. --output out/ (features/ and rejected/ are created in it)");
        }

        var clock = Stopwatch.StartNew();
        var result = await LocalFeaturizer.FeaturizeToFilesAsync(files, output, options, bucket, cancellationToken).ConfigureAwait(false);
        var summaries = result.Summaries;
        var failures = result.Failures;
        var featuresDirectory = Path.GetFullPath(Path.Combine(output, "features"));
        var rejectedDirectory = Path.GetFullPath(Path.Combine(output, "rejected"));
        var customers = await result.CustomersAsync(cancellationToken).ConfigureAwait(false);
        var total = new FeaturizeReport(
            string.Join(",", summaries.Select(s => s.Profile).Distinct()),
            summaries.Sum(s => s.Rows),
            summaries.Sum(s => s.Accepted),
            summaries.Sum(s => s.Rejected),
            summaries.Sum(s => s.Skipped),
            IngestSummary.SkippedReason,
            summaries.Sum(s => s.Excluded),
            customers,
            Math.Round(summaries.Sum(s => s.TotalSpend), 2),
            clock.Elapsed.TotalSeconds,
            ParserVectorWidth.Default,
            [.. summaries.Select(s => new FeaturizeFileReport(s.SourceName, s.Profile, s.Rows, s.Accepted, s.Rejected, s.Skipped, s.Excluded, s.Customers, Math.Round(s.TotalSpend, 2), s.Currency, s.HashedIds, s.TextBytes, s.MegabytesPerSecond))],
            failures);

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(total, CliJsonContext.Default.FeaturizeReport));
        }
        else
        {
            var table = new Table().AddColumns("file", "rows", "accepted", "rejected", "skipped", "customers", "total spend", "MB/s");
            foreach (var s in summaries)
            {
                table.AddRow(Markup.Escape(s.SourceName), $"{s.Rows:N0}", $"{s.Accepted:N0}", $"{s.Rejected:N0}", $"{s.Skipped:N0}", $"{s.Customers:N0}", $"{s.TotalSpend:N2}", $"{s.MegabytesPerSecond:N0}");
            }

            console.Write(table);
            foreach (var s in summaries.Where(s => s.Profile != ExportProfiles.Generic || s.Skipped + s.Excluded > 0 || s.Currency is not null))
            {
                console.MarkupLineInterpolated(
                    $"{s.SourceName}: profile [bold]{s.Profile}[/], {s.Skipped:N0} rows skipped (further lines of an order, guests), {s.Excluded:N0} not revenue{(s.Currency is null ? string.Empty : $", amounts in {s.Currency}")}{(s.HashedIds ? ", e-mail and phone ids keyed" : string.Empty)}");
            }

            console.MarkupLineInterpolated($"{customers:N0} customers; partials in [bold]{featuresDirectory}[/], rejected rows in [bold]{rejectedDirectory}[/]");
            if (summaries.Sum(s => s.Skipped) is > 0 and var skipped)
            {
                console.MarkupLineInterpolated($"{skipped:N0} rows skipped: {IngestSummary.SkippedReason}.");
            }
        }

        foreach (var failure in failures)
        {
            if (json)
            {
                await Console.Error.WriteLineAsync($"failed: {failure}").ConfigureAwait(false);
            }
            else
            {
                console.MarkupLineInterpolated($"[red]failed:[/] {failure}");
            }
        }

        return failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }
}
