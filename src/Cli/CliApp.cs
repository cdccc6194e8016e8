using System.CommandLine;
using Clv.Cli.Commands;
using Clv.Modeling.Lstm;
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
            CheckKernelWidth();
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

    // The trainer's vector width is fixed once per process; a CLV_KERNEL value that names no width, or one
    // this machine lacks, stops any command before it starts.
    private static void CheckKernelWidth()
    {
        try
        {
            LstmTrainer.SelectVectorWidth(Environment.GetEnvironmentVariable(LstmTrainer.VectorWidthVariable));
        }
        catch (InvalidOperationException ex)
        {
            throw new CliUserException(ex.Message, $"unset {LstmTrainer.VectorWidthVariable} to train at the widest width this machine accelerates");
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
