using System.CommandLine;
using Clv.Cli.Local;
using Clv.Modeling.Workflow;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>
/// <c>clv evaluate</c>: customers split by seed, the LSTM trained on 80%, the LSTM and the baselines scored on the
/// other 20%, one comparison table.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var features = new Option<string[]>("--features", "-f") { Description = "Partials from clv featurize: Parquet files or folders.", AllowMultipleArgumentsPerToken = true };
        var report = new Option<string?>("--report") { Description = "Also write report.md, report.html and metrics.json into this folder." };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON: an object keyed by model (lstm, bgnbd, naive)." };
        var model = new ModelOptionSet();
        var command = new Command("evaluate", "Compare the LSTM-ZILN model with the naive and BG/NBD + Gamma-Gamma baselines on held-out customers.");
        foreach (var option in new Option[] { features, report }.Concat(model.All).Append(json))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var buildOptions = model.Bind(parseResult);
            var partials = await LocalPartials.ReadAsync(parseResult.GetValue(features) ?? [], cancellationToken).ConfigureAwait(false);
            var isJson = parseResult.GetValue(json);
            var progress = LocalRunReport.EpochPrinter(console, isJson, buildOptions.Trainer.Epochs);
            ModelBuildResult build;
            try
            {
                build = ModelBuilder.Build(partials, buildOptions, champion: null, progress, cancellationToken);
            }
            catch (ArgumentException ex)
            {
                throw CliUserException.FromArgument(ex, "check --as-of, --horizon and --bucket against the dates in the data");
            }

            if (parseResult.GetValue(report) is { } folder)
            {
                await build.Report.WriteAsync(Directory.CreateDirectory(folder).FullName, cancellationToken).ConfigureAwait(false);
            }

            if (isJson)
            {
                console.Profile.Out.Writer.WriteLine(build.Report.Comparison.ToJson());
            }
            else
            {
                LocalRunReport.WriteEvaluation(console, build);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
