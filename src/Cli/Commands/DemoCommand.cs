using System.CommandLine;
using Clv.Cli.Local;
using Clv.Modeling.Ingest;
using Clv.Modeling.Synthetic;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary><c>clv demo</c>: the local main job, end to end on a generated export.</summary>
internal static class DemoCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder for the generated export and every result.", DefaultValueFactory = _ => "clv-demo" };
        var customers = new Option<int>("--customers") { Description = "Customers in the generated export.", DefaultValueFactory = _ => 6000 };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result: the paths written and the evaluation table." };
        var mode = GenerateCommand.ModeOption();
        var model = new ModelOptionSet();
        var command = new Command("demo", "Generate a synthetic export and run the whole local pipeline on it: no cloud, no server, no reference data.");
        foreach (var option in new Option[] { output, customers, mode }.Concat(model.All).Append(json))
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(output)!;
            var count = parseResult.GetValue(customers);
            if (count < 100)
            {
                throw new CliUserException($"--customers {count} is too few to train and evaluate.", "use at least 100");
            }

            var exports = Directory.CreateDirectory(Path.Combine(folder, "exports")).FullName;
            var export = Path.Combine(exports, "demo-orders.csv");
            var seed = parseResult.GetValue(model.Seed);
            var generated = SyntheticExportGenerator.WriteFile(export, new SyntheticExportOptions { Mode = GenerateCommand.ParseMode(parseResult.GetValue(mode)), Customers = count, Seed = seed }, cancellationToken);
            var isJson = parseResult.GetValue(json);
            if (!isJson)
            {
                console.MarkupLineInterpolated($"Generated {generated.Rows:N0} order lines of {generated.Customers:N0} customers ({generated.DirtyRows:N0} deliberately dirty) in {export}");
            }

            return RunCommand.RunAsync(console, [export], folder, ExportReaderOptions.Default, model, parseResult, isJson, cancellationToken);
        });
        return command;
    }
}
