using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
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
        var bucket = new Option<string>("--bucket") { Description = "Time step: day, week or month.", DefaultValueFactory = _ => "week" };
        var customer = new Option<string?>("--customer-column") { Description = "Customer id column (header name, or 1-based number with --no-header)." };
        var timestamp = new Option<string?>("--date-column") { Description = "Order date/timestamp column." };
        var amount = new Option<string?>("--amount-column") { Description = "Amount column (else quantity x unit price)." };
        var orderId = new Option<string?>("--order-column") { Description = "Order id column." };
        var quantity = new Option<string?>("--quantity-column") { Description = "Quantity column." };
        var unitPrice = new Option<string?>("--unit-price-column") { Description = "Unit price column." };
        var dateFormat = new Option<string?>("--date-format") { Description = $"Date layout: {string.Join(", ", ExportReaderOptions.DateFormats)} (detected when left out)." };
        var delimiter = new Option<string?>("--delimiter") { Description = "Field delimiter: comma, semicolon, tab, pipe or whitespace (detected when left out)." };
        var decimalComma = new Option<bool>("--decimal-comma") { Description = "Numbers use a decimal comma (12,50)." };
        var noHeader = new Option<bool>("--no-header") { Description = "The first line is data; give columns as 1-based numbers." };
        var maxRejected = new Option<double>("--max-rejected-share") { Description = "Fail a file when more than this share of rows is rejected.", DefaultValueFactory = _ => ExportReaderOptions.DefaultMaxRejectedShare };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result." };
        var command = new Command("featurize", "Read order exports, reject bad rows with reasons, and write per-(customer, bucket) partials as Parquet.")
        {
            input, output, bucket, customer, timestamp, amount, orderId, quantity, unitPrice, dateFormat, delimiter, decimalComma, noHeader, maxRejected, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new ExportReaderOptions
            {
                CustomerIdColumn = parseResult.GetValue(customer),
                TimestampColumn = parseResult.GetValue(timestamp),
                AmountColumn = parseResult.GetValue(amount),
                OrderIdColumn = parseResult.GetValue(orderId),
                QuantityColumn = parseResult.GetValue(quantity),
                UnitPriceColumn = parseResult.GetValue(unitPrice),
                DateFormat = parseResult.GetValue(dateFormat),
                Delimiter = ParseDelimiter(parseResult.GetValue(delimiter)),
                DecimalComma = parseResult.GetValue(decimalComma),
                HasHeader = !parseResult.GetValue(noHeader),
                MaxRejectedShare = CheckShare(parseResult.GetValue(maxRejected)),
            };
            var files = parseResult.GetValue(input) ?? [];
            return RunAsync(console, files, parseResult.GetValue(output), ParseBucket(parseResult.GetValue(bucket)), options, parseResult.GetValue(json), cancellationToken);
        });
        return command;
    }

    /// <summary>The export's name: the file name without <c>.gz</c> and its extension (<c>orders.csv.gz</c> is <c>orders</c>).</summary>
    internal static string ExportName(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^3];
        }

        return Path.GetFileNameWithoutExtension(name);
    }

    private static async Task<int> RunAsync(IAnsiConsole console, string[] files, string? output, BucketSize bucket, ExportReaderOptions options, bool json, CancellationToken cancellationToken)
    {
        if (files.Length == 0)
        {
            throw new CliUserException("--input is required.", "clv featurize --input orders.csv [more.csv.gz ...] --output out/");
        }

        if (string.IsNullOrWhiteSpace(output))
        {
            throw new CliUserException("--output is required.", "give a directory, e.g. --output out/ (features/ and rejected/ are created in it)");
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new CliUserException($"input file '{file}' not found.", "check the path; several files can follow one --input");
            }
        }

        var featuresDirectory = Directory.CreateDirectory(Path.Combine(output, "features")).FullName;
        var rejectedDirectory = Directory.CreateDirectory(Path.Combine(output, "rejected")).FullName;
        var clock = Stopwatch.StartNew();
        var summaries = new List<IngestSummary>();
        var partials = new List<PartialAggregates>();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var name = ExportName(file);
            try
            {
                FeaturizeResult result;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
                using (var rejectedFile = File.Create(Path.Combine(rejectedDirectory, name + ".csv")))
                using (var rejected = new CsvRejectedRowWriter(rejectedFile))
                {
                    result = ExportFeaturizer.Featurize(stream, Path.GetFileName(file), options, bucket, rejected, cancellationToken);
                }

                var parquet = File.Create(Path.Combine(featuresDirectory, name + ".parquet"));
                await using (parquet.ConfigureAwait(false))
                {
                    await result.Partials.WriteParquetAsync(parquet, cancellationToken).ConfigureAwait(false);
                }

                summaries.Add(result.Summary);
                partials.Add(result.Partials);
            }
            catch (ExportFormatException ex) when (ex.Error == ExportFormatError.Layout)
            {
                throw new CliUserException(
                    ex.Message,
                    "map columns with --customer-column, --date-column, --amount-column (or --quantity-column with --unit-price-column); set --date-format or --delimiter if detection fails");
            }
            catch (ExportFormatException ex)
            {
                failures.Add(ex.Message);
            }
        }

        var customers = partials.Count == 0 ? 0 : PartialAggregates.Merge(partials).CustomerCount;
        var total = new
        {
            rows = summaries.Sum(s => s.Rows),
            accepted = summaries.Sum(s => s.Accepted),
            rejected = summaries.Sum(s => s.Rejected),
            customers,
            totalSpend = Math.Round(summaries.Sum(s => s.TotalSpend), 2),
            seconds = clock.Elapsed.TotalSeconds,
            files = summaries.Select(s => new { name = s.SourceName, s.Rows, s.Accepted, s.Rejected, s.Customers, totalSpend = Math.Round(s.TotalSpend, 2), s.Bytes, megabytesPerSecond = s.MegabytesPerSecond }),
            failed = failures,
        };

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(total, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        }
        else
        {
            var table = new Table().AddColumns("file", "rows", "accepted", "rejected", "customers", "total spend", "MB/s");
            foreach (var s in summaries)
            {
                table.AddRow(s.SourceName, $"{s.Rows:N0}", $"{s.Accepted:N0}", $"{s.Rejected:N0}", $"{s.Customers:N0}", $"{s.TotalSpend:N2}", $"{s.MegabytesPerSecond:N0}");
            }

            console.Write(table);
            console.MarkupLineInterpolated($"{customers:N0} customers; partials in [bold]{featuresDirectory}[/], rejected rows in [bold]{rejectedDirectory}[/]");
        }

        foreach (var failure in failures)
        {
            console.MarkupLineInterpolated($"[red]failed:[/] {failure}");
        }

        return failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static BucketSize ParseBucket(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "DAY" => BucketSize.Day,
        "WEEK" => BucketSize.Week,
        "MONTH" => BucketSize.Month,
        _ => throw new CliUserException($"--bucket '{text}' is not a bucket size.", "use day, week or month"),
    };

    private static char? ParseDelimiter(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "," or "COMMA" => ',',
        ";" or "SEMICOLON" => ';',
        "\\T" or "\t" or "TAB" => '\t',
        "|" or "PIPE" => '|',
        "SPACE" or "WHITESPACE" => ' ',
        _ => throw new CliUserException($"--delimiter '{text}' is not supported.", "use comma, semicolon, tab, pipe or whitespace, or leave it out to detect it"),
    };

    private static double CheckShare(double share) => share is >= 0 and <= 1
        ? share
        : throw new CliUserException($"--max-rejected-share {share} is outside 0..1.", "e.g. --max-rejected-share 0.2 for 20%");
}
