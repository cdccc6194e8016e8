using System.CommandLine;
using Clv.Cli.Local;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary><c>clv train</c>: train, evaluate and export a model from featurized partials.</summary>
internal static class TrainCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var features = new Option<string[]>("--features", "-f") { Description = "Partials from clv featurize: Parquet files or folders.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for model/ (model.onnx, model.clvm, report, metrics) and the predictions.", DefaultValueFactory = _ => "clv-out" };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result: the paths written and the evaluation table." };
        var model = new ModelOptionSet();
        var command = new Command("train", "Train the LSTM-ZILN model on featurized partials, evaluate it against the baselines, export ONNX and score every customer.");
        foreach (var option in new Option[] { features, output }.Concat(model.All).Append(json))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var buildOptions = model.Bind(parseResult);
            var partials = await LocalPartials.ReadAsync(parseResult.GetValue(features) ?? [], cancellationToken).ConfigureAwait(false);
            var isJson = parseResult.GetValue(json);
            var folder = parseResult.GetValue(output)!;
            var progress = LocalRunReport.EpochPrinter(console, isJson, buildOptions.Trainer.Epochs);
            var (build, scores, outputs) = await LocalModelRun.RunAsync(partials, buildOptions, folder, progress, isJson ? null : console, cancellationToken).ConfigureAwait(false);
            LocalRunReport.Write(console, isJson, ingest: null, build, scores, outputs, featuresDirectory: null);
            return ExitCodes.Success;
        });
        return command;
    }
}
