using System.CommandLine;
using Clv.Cli.Local;
using Clv.Modeling.Workflow;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>
/// <c>clv evaluate</c>: the rolling-origin backtest. At each cutoff the LSTM and gbm learn from labels that end by the
/// cutoff, the baselines are fitted on data up to it, and every model is scored on held-out customers' spend after it.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var features = new Option<string[]>("--features", "-f") { Description = "Partials from clv featurize: Parquet files or folders.", AllowMultipleArgumentsPerToken = true };
        var report = new Option<string?>("--report") { Description = "Also write report.md, report.html and metrics.json into this folder." };
        var json = new Option<bool>("--json") { Description = "Print the backtest as JSON: protocol, cutoffs, pooled models (lstm, gbm, bgnbd, naive) and differences with 95% intervals." };
        var model = new ModelOptionSet();
        var command = new Command("evaluate", "Backtest the LSTM-ZILN model out of time against gbm, BG/NBD + Gamma-Gamma and naive on held-out customers.");
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
            Modeling.Evaluation.BacktestResult backtest;
            try
            {
                backtest = ClvWorkflow.Backtest(partials, buildOptions, champion: null, progress, cancellationToken);
            }
            catch (ArgumentException ex)
            {
                throw CliUserException.FromArgument(ex, "check --as-of, --horizon, --cutoffs, --cutoff-step and --bucket against the dates in the data");
            }

            if (parseResult.GetValue(report) is { } folder)
            {
                await Modeling.Evaluation.EvaluationReport.FromBacktest(backtest).WriteAsync(Directory.CreateDirectory(folder).FullName, cancellationToken).ConfigureAwait(false);
            }

            if (isJson)
            {
                console.Profile.Out.Writer.WriteLine(backtest.ToJson());
            }
            else
            {
                LocalRunReport.WriteBacktest(console, backtest);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
