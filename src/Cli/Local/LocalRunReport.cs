using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Spectre.Console;

namespace Clv.Cli.Local;

/// <summary>Prints what a local run did: tables for people, one JSON object for machines.</summary>
internal static class LocalRunReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>An epoch line printer, or <see langword="null"/> under <c>--json</c>.</summary>
    public static IProgress<TrainingEpoch>? EpochPrinter(IAnsiConsole console, bool json, int epochs) =>
        json ? null : new SynchronousProgress<TrainingEpoch>(e => console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  epoch {e.Epoch,3}/{epochs}  loss {e.TrainingLoss,9:F4}  validation {e.ValidationLoss,9:F4}  {e.SamplesPerSecond,10:N0} samples/s{(e.IsBest ? "  [green]best[/]" : string.Empty)}")));

    /// <summary>Writes the run's summary.</summary>
    public static void Write(IAnsiConsole console, bool json, LocalFeaturizeResult? ingest, ModelBuildResult build, ClvPredictionBatch scores, LocalRunOutputs outputs, string? featuresDirectory)
    {
        if (json)
        {
            var result = new JsonObject
            {
                ["model"] = outputs.Model,
                ["modelState"] = outputs.ModelState,
                ["report"] = outputs.Report,
                ["reportHtml"] = outputs.ReportHtml,
                ["metrics"] = outputs.Metrics,
                ["predictions"] = outputs.Predictions,
                ["predictionsParquet"] = outputs.PredictionsParquet,
                ["features"] = featuresDirectory,
                ["modelVersion"] = build.Model.Metadata.Version,
                ["asOf"] = build.Model.Metadata.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["cutoff"] = build.Cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["ingest"] = ingest is null ? null : IngestJson(ingest),
                ["training"] = new JsonObject
                {
                    ["trainCustomers"] = build.TrainCustomers,
                    ["testCustomers"] = build.TestCustomers,
                    ["epochs"] = build.Training.History.Count,
                    ["bestEpoch"] = build.Training.BestEpoch,
                    ["vectorWidth"] = (int)build.Training.VectorWidth,
                },
                ["evaluation"] = JsonNode.Parse(build.Backtest.ToJson(indented: false)),
                ["decision"] = new JsonObject { ["status"] = build.Decision.Status, ["reason"] = build.Decision.Reason },
                ["customersScored"] = scores.Count,
            };
            console.Profile.Out.Writer.WriteLine(result.ToJsonString(Json));
            return;
        }

        if (ingest is not null)
        {
            var ingestTable = new Table().Title("Ingest").AddColumns("file", "rows", "accepted", "rejected", "skipped", "customers", "total spend");
            foreach (var s in ingest.Summaries)
            {
                ingestTable.AddRow(Markup.Escape(s.SourceName), Count(s.Rows), Count(s.Accepted), Count(s.Rejected), Count(s.Skipped), Count(s.Customers), Amount(s.TotalSpend));
            }

            console.Write(ingestTable);
            foreach (var failure in ingest.Failures)
            {
                console.MarkupLineInterpolated($"[red]failed:[/] {failure}");
            }
        }

        WriteEvaluation(console, build);
        var written = new Table().Title($"Scored {scores.Count:N0} customers as of {build.Model.Metadata.AsOf:yyyy-MM-dd}").AddColumns("what", "where");
        written.AddRow("model (ONNX)", Markup.Escape(outputs.Model));
        written.AddRow("report", Markup.Escape(outputs.Report));
        written.AddRow("report (HTML)", Markup.Escape(outputs.ReportHtml));
        written.AddRow("predictions", Markup.Escape(outputs.Predictions));
        written.AddRow("predictions (Parquet)", Markup.Escape(outputs.PredictionsParquet));
        if (featuresDirectory is not null)
        {
            written.AddRow("features", Markup.Escape(featuresDirectory));
        }

        console.Write(written);
    }

    /// <summary>Writes a run that stopped before training as one JSON object: the ingest figures and the error.</summary>
    public static void WriteFailure(IAnsiConsole console, LocalFeaturizeResult ingest, string message, string hint, int exitCode)
    {
        var result = new JsonObject { ["ingest"] = IngestJson(ingest), ["error"] = message, ["hint"] = hint, ["exitCode"] = exitCode };
        console.Profile.Out.Writer.WriteLine(result.ToJsonString(Json));
        foreach (var failure in ingest.Failures)
        {
            Console.Error.WriteLine($"failed: {failure}");
        }

        Console.Error.WriteLine($"error: {message}");
    }

    private static JsonObject IngestJson(LocalFeaturizeResult ingest) => new()
    {
        ["rows"] = ingest.Summaries.Sum(s => s.Rows),
        ["accepted"] = ingest.Summaries.Sum(s => s.Accepted),
        ["rejected"] = ingest.Summaries.Sum(s => s.Rejected),
        ["skipped"] = ingest.Summaries.Sum(s => s.Skipped),
        ["skippedReason"] = IngestSummary.SkippedReason,
        ["customers"] = ingest.Partials.CustomerCount,
        ["totalSpend"] = Math.Round(ingest.Summaries.Sum(s => s.TotalSpend), 2),
        ["failedFiles"] = new JsonArray([.. ingest.Failures.Select(f => JsonValue.Create(f))]),
    };

    /// <summary>The backtest table of every model on the held-out customers, and the promotion decision.</summary>
    public static void WriteEvaluation(IAnsiConsole console, ModelBuildResult build)
    {
        WriteBacktest(console, build.Backtest);
        console.MarkupLineInterpolated($"Model {build.Model.Metadata.Version} (built at {build.Model.Metadata.AsOf:yyyy-MM-dd}): [bold]{build.Decision.Status}[/]. {build.Decision.Reason}");
    }

    /// <summary>The pooled backtest table, the LSTM's interval coverage and the differences against the best baseline.</summary>
    public static void WriteBacktest(IAnsiConsole console, BacktestResult backtest)
    {
        var comparison = backtest.Pooled;
        var cutoffs = string.Join(", ", backtest.Cutoffs.Select(c => c.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var rows = backtest.Folds.Sum(f => f.Scores[0].CustomerIds.Count);
        var evaluation = new Table()
            .Title($"Out-of-time backtest: {rows:N0} held-out rows, cutoffs {cutoffs}, {backtest.Folds.Select(f => f.SeedIndex).Distinct().Count()} seed(s)")
            .AddColumns([new TableColumn("model"), .. MetricColumn.All.Select(c => new TableColumn(c.Label))]);
        foreach (var (name, metrics) in comparison.Models)
        {
            evaluation.AddRow([Markup.Escape(name), .. MetricColumn.All.Select(c => c.FormatCell(metrics))]);
        }

        console.Write(evaluation);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"LSTM coverage of [[P10, P90]]: {backtest.Coverage80:F3} (a calibrated model: {backtest.ExpectedCoverage80:F3})"));
        foreach (var d in backtest.Differences)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{d.Metric}: lstm - {d.Versus} = {d.Mean:+0.0000;-0.0000}, 95% interval [[{d.Low:F4}, {d.High:F4}]]"));
        }

        foreach (var note in backtest.Notes)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Amount(double value) => value.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>Reports on the calling thread (the default <see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
