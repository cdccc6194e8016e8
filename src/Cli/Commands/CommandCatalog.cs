using System.CommandLine;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>Every <c>clv</c> subcommand, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(IAnsiConsole console)
    {
        yield return DemoCommand.Create(console);
        yield return GenerateCommand.Create(console);
        yield return InspectCommand.Create(console);
        yield return FeaturizeCommand.Create(console);
        yield return CompactCommand.Create(console);
        yield return TrainCommand.Create(console);
        yield return EvaluateCommand.Create(console);
        yield return ScoreCommand.Create(console);
        yield return RunCommand.Create(console);
        yield return HostCommand.Create(console);
    }
}
