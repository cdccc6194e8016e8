using System.CommandLine;
using Clv.Cli.Local;
using Clv.Modeling.Features;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary><c>clv run</c>: the whole local pipeline on the user's own exports.</summary>
internal static class RunCommand
{
    private const string Usage = "clv run --input orders.csv [more.csv.gz ...] --output out/";

    public static Command Create(IAnsiConsole console)
    {
        var input = new Option<string[]>("--input", "-i") { Description = "Export files (.csv, .txt, .csv.gz).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for features, rejected rows, the model, the report and the predictions.", DefaultValueFactory = _ => "clv-out" };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result: the paths written and the evaluation table." };
        var reader = new ExportOptionSet();
        var model = new ModelOptionSet();
        var command = new Command("run", "Featurize exports, train and evaluate the LSTM-ZILN model against the baselines, export ONNX, and score every customer.");
        foreach (var option in new Option[] { input, output }.Concat(reader.All).Concat(model.All).Append(json))
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var files = parseResult.GetValue(input) ?? [];
            LocalFeaturizer.RequireInputs(files, Usage);
            return RunAsync(console, files, parseResult.GetValue(output)!, reader.Bind(parseResult), model, parseResult, parseResult.GetValue(json), cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        IAnsiConsole console,
        IReadOnlyList<string> files,
        string output,
        Modeling.Ingest.ExportReaderOptions readerOptions,
        ModelOptionSet model,
        ParseResult parseResult,
        bool json,
        CancellationToken cancellationToken)
    {
        var buildOptions = model.Bind(parseResult);
        var ingest = json
            ? await LocalFeaturizer.FeaturizeAsync(files, output, readerOptions, BucketSize.Day, cancellationToken).ConfigureAwait(false)
            : await console.Status().StartAsync(
                $"Reading {files.Count} export(s)...",
                _ => LocalFeaturizer.FeaturizeAsync(files, output, readerOptions, BucketSize.Day, cancellationToken)).ConfigureAwait(false);
        if (ingest.Summaries.Count == 0)
        {
            const string Message = "no export could be read, so there is nothing to train on.";
            const string Hint = "see the rejected rows under rejected/ in the output folder";
            if (json)
            {
                LocalRunReport.WriteFailure(console, ingest, Message, Hint, ExitCodes.Failed);
                return ExitCodes.Failed;
            }

            foreach (var failure in ingest.Failures)
            {
                console.MarkupLineInterpolated($"[red]failed:[/] {failure}");
            }

            throw new CliUserException(Message, Hint, ExitCodes.Failed);
        }

        if (!json)
        {
            console.MarkupLineInterpolated($"Read {ingest.Summaries.Sum(s => s.Accepted):N0} rows of {ingest.Partials.CustomerCount:N0} customers; training ({buildOptions.Trainer.Epochs} epochs at most, {buildOptions.Trainer.ThreadCount} threads)...");
        }

        var progress = LocalRunReport.EpochPrinter(console, json, buildOptions.Trainer.Epochs);
        var (build, scores, outputs) = await LocalModelRun.RunAsync(ingest.Partials, buildOptions, output, progress, json ? null : console, cancellationToken).ConfigureAwait(false);
        LocalRunReport.Write(console, json, ingest, build, scores, outputs, Path.GetFullPath(Path.Combine(output, "features")));
        return ingest.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }
}
