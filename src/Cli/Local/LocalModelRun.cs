using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Spectre.Console;

namespace Clv.Cli.Local;

/// <summary>What a local run wrote, for the summary table and <c>--json</c>.</summary>
internal sealed record LocalRunOutputs(
    string Model,
    string ModelState,
    string Report,
    string ReportHtml,
    string Metrics,
    string Predictions,
    string PredictionsParquet);

/// <summary>The workflow's build and score on local partials, writing every result under one folder.</summary>
internal static class LocalModelRun
{
    /// <summary>Builds the model from <paramref name="partials"/> and scores every customer as of the model's as-of day.</summary>
    /// <remarks><paramref name="status"/> shows a spinner while scoring; <see langword="null"/> under <c>--json</c>.</remarks>
    public static async Task<(ModelBuildResult Build, ClvPredictionBatch Scores, LocalRunOutputs Outputs)> RunAsync(
        PartialAggregates partials,
        ModelBuildOptions options,
        string outputDirectory,
        IProgress<TrainingEpoch>? progress,
        IAnsiConsole? status,
        CancellationToken cancellationToken)
    {
        ModelBuildResult build;
        try
        {
            build = ClvWorkflow.Build(partials, options, champion: null, progress, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw CliUserException.FromArgument(ex, "check --as-of, --horizon and --bucket against the dates in the data");
        }

        var modelDirectory = Directory.CreateDirectory(Path.Combine(outputDirectory, "model")).FullName;
        var onnxPath = Path.Combine(modelDirectory, "model.onnx");
        await File.WriteAllBytesAsync(onnxPath, build.Onnx, cancellationToken).ConfigureAwait(false);
        var statePath = Path.Combine(modelDirectory, "model.clvm");
        ClvModelFile.Save(build.Model, statePath);
        await build.Report.WriteAsync(modelDirectory, cancellationToken).ConfigureAwait(false);

        var scores = status is null
            ? Score(partials, build)
            : status.Status().Start($"Scoring {partials.CustomerCount:N0} customers with ONNX Runtime...", _ => Score(partials, build));
        var metadata = build.Model.Metadata;
        var csvPath = Path.GetFullPath(Path.Combine(outputDirectory, "predictions.csv"));
        using (var csv = File.Create(csvPath))
        {
            PredictionFiles.WriteCsv(scores, metadata.Version, metadata.AsOf, csv);
        }

        var parquetPath = Path.GetFullPath(Path.Combine(outputDirectory, "predictions.parquet"));
        var parquet = File.Create(parquetPath);
        await using (parquet.ConfigureAwait(false))
        {
            await PredictionFiles.WriteParquetAsync(scores, metadata.Version, metadata.AsOf, parquet, cancellationToken).ConfigureAwait(false);
        }

        var outputs = new LocalRunOutputs(
            onnxPath,
            statePath,
            Path.Combine(modelDirectory, "report.md"),
            Path.Combine(modelDirectory, "report.html"),
            Path.Combine(modelDirectory, "metrics.json"),
            csvPath,
            parquetPath);
        return (build, scores, outputs);
    }

    /// <summary>Scores every customer with ONNX Runtime on the exported model, through the workflow's scoring step as the pipeline does.</summary>
    public static ClvPredictionBatch Score(PartialAggregates partials, ModelBuildResult build)
    {
        using var scorer = ClvWorkflow.LoadScorer(build.Onnx, "model.onnx", new ScorerOptions());
        return ClvWorkflow.Score(partials, scorer, build.Model.Metadata.AsOf);
    }
}
