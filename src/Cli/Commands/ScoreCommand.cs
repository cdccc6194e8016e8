using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clv.Cli.Local;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary><c>clv score</c>: score every customer of featurized partials with an exported model (ONNX Runtime).</summary>
internal static class ScoreCommand
{
    private static readonly ScorerOptions ScorerDefaults = new();

    public static Command Create(IAnsiConsole console)
    {
        var modelPath = new Option<string>("--model", "-m") { Description = "The model.onnx written by clv train or clv run.", Required = true };
        var features = new Option<string[]>("--features", "-f") { Description = "Partials from clv featurize: Parquet files or folders.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Predictions file: .csv or .parquet.", DefaultValueFactory = _ => "predictions.csv" };
        var asOf = new Option<string?>("--as-of") { Description = "Score histories up to this day, yyyy-MM-dd (default: the model's as-of day)." };
        var provider = new Option<string>("--execution-provider") { Description = "cpu, or cuda (falls back to cpu with a warning when no GPU is usable).", DefaultValueFactory = _ => "cpu" };
        var batchSize = new Option<int>("--batch-size") { Description = "Customers per ONNX Runtime run.", DefaultValueFactory = _ => ScorerDefaults.BatchSize };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result." };
        var command = new Command("score", "Score every customer with an exported model and write one prediction per customer.")
        {
            modelPath, features, output, asOf, provider, batchSize, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(modelPath)!;
            if (!File.Exists(path))
            {
                throw new CliUserException($"model '{path}' not found.", "give the model.onnx written by clv train or clv run");
            }

            var scorerOptions = BindScorer(parseResult, provider, batchSize);
            var partials = await LocalPartials.ReadAsync(parseResult.GetValue(features) ?? [], cancellationToken).ConfigureAwait(false);
            var info = LoadInfo(path);
            var day = ParseDay(parseResult.GetValue(asOf)) ?? info.Metadata.AsOf;
            ClvPredictionBatch scores;
            try
            {
                using var scorer = ClvWorkflow.LoadScorer(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), path, scorerOptions);
                scores = ClvWorkflow.Score(partials, scorer, day);
            }
            catch (ModelMismatchException ex)
            {
                throw new CliUserException(ex.Message, "score with a model trained by this version of clv");
            }
            catch (ArgumentException ex)
            {
                throw CliUserException.FromArgument(ex, "featurize with --bucket day, or with the model's bucket");
            }

            var destination = parseResult.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
            var file = File.Create(destination);
            await using (file.ConfigureAwait(false))
            {
                if (destination.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                {
                    await PredictionFiles.WriteParquetAsync(scores, info.Metadata.Version, day, file, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    PredictionFiles.WriteCsv(scores, info.Metadata.Version, day, file);
                }
            }

            var result = new ScoreReport(
                Path.GetFullPath(destination),
                scores.Count,
                info.Metadata.Version,
                day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Math.Round(scores.Clv.Sum(v => (double)v), 2));
            if (parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.ScoreReport));
            }
            else
            {
                console.MarkupLineInterpolated($"Scored {result.Customers:N0} customers as of {result.AsOf} with model {result.ModelVersion}: total predicted CLV {result.TotalClv:N2}. Predictions in [bold]{result.Predictions}[/]");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Modeling.Onnx.OnnxModelInfo LoadInfo(string path)
    {
        try
        {
            return Modeling.Onnx.OnnxModelInfo.Read(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUserException(ex.Message, "give the model.onnx written by clv train or clv run", ExitCodes.Failed);
        }
    }

    /// <summary>The scorer's settings from the flags, checked by the record's own parser and validation (the host's settings go through the same).</summary>
    private static ScorerOptions BindScorer(ParseResult parseResult, Option<string> provider, Option<int> batchSize)
    {
        try
        {
            var options = ScorerDefaults with
            {
                ExecutionProvider = ScorerOptions.ParseExecutionProvider(parseResult.GetValue(provider)),
                BatchSize = parseResult.GetValue(batchSize),
            };
            options.Validate();
            return options;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw CliUserException.FromOutOfRange(ex, "use --execution-provider cpu or cuda, and a --batch-size of at least 1");
        }
    }

    private static DateOnly? ParseDay(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new CliUserException($"--as-of '{text}' is not a date.", "write it as yyyy-MM-dd");
    }
}

/// <summary>What <c>clv score --json</c> prints.</summary>
/// <param name="Predictions">The predictions file, full path.</param>
/// <param name="Customers">Customers scored.</param>
/// <param name="ModelVersion">The model's version.</param>
/// <param name="AsOf">The day scored as of, <c>yyyy-MM-dd</c>.</param>
/// <param name="TotalClv">The sum of predicted CLV, rounded to cents.</param>
internal sealed record ScoreReport(string Predictions, int Customers, string ModelVersion, string AsOf, double TotalClv);
