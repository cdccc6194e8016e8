using System.CommandLine;
using System.Text.Json.Nodes;
using Clv.Cli.Commands;
using Clv.Modeling.Lstm;
using Spectre.Console;

namespace Clv.Cli;

/// <summary>The <c>clv</c> command tree and its error handling.</summary>
internal static class CliApp
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command, and returns its exit code.</summary>
    /// <remarks>
    /// Under <c>--json</c> standard output holds exactly one JSON object on every outcome: a failure is
    /// <c>{ "error": ..., "hint": ..., "exitCode": ... }</c> there, and its human-readable line goes to standard error.
    /// </remarks>
    public static int Run(string[] args, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var json = args.Contains("--json", StringComparer.Ordinal);
        var root = Build(console);
        var parseResult = root.Parse(args);
        try
        {
            CheckKernelWidth();
            return parseResult.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUserException ex)
        {
            if (json)
            {
                return JsonError(console, ex.Message, ex.Hint, ex.ExitCode);
            }

            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            if (ex.Hint is not null)
            {
                console.MarkupLineInterpolated($"[grey]hint:[/] {ex.Hint}");
            }

            return ex.ExitCode;
        }
        catch (Exception ex) when (json && ex is not OutOfMemoryException)
        {
            return JsonError(console, $"{ex.GetType().Name}: {ex.Message}", null, ExitCodes.Failed);
        }
    }

    /// <summary>Writes a failure as the one JSON object on standard output, and as a line on standard error.</summary>
    private static int JsonError(IAnsiConsole console, string message, string? hint, int exitCode)
    {
        var error = new JsonObject { ["error"] = message, ["hint"] = hint, ["exitCode"] = exitCode };
        console.Profile.Out.Writer.WriteLine(error.ToJsonString());
        Console.Error.WriteLine(hint is null ? $"error: {message}" : $"error: {message}\nhint: {hint}");
        return exitCode;
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
