using System.CommandLine;
using Clv.Cli.Commands;
using Spectre.Console;

namespace Clv.Cli;

/// <summary>The <c>clv</c> command tree and its error handling.</summary>
internal static class CliApp
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command, and returns its exit code.</summary>
    public static int Run(string[] args, IAnsiConsole console)
    {
        var root = Build(console);
        var parseResult = root.Parse(args);
        try
        {
            return parseResult.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUserException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            if (ex.Hint is not null)
            {
                console.MarkupLineInterpolated($"[grey]hint:[/] {ex.Hint}");
            }

            return ex.ExitCode;
        }
    }

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build(IAnsiConsole console)
    {
        var root = new RootCommand("clv: customer lifetime value from order exports, on local files, no cloud needed.");
        foreach (var command in CommandCatalog.Create(console))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
