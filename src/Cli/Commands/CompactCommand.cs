using System.CommandLine;
using System.Text.Json;
using Clv.Cli.Local;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>
/// <c>clv compact</c>: merges the partials of a features folder (<c>clv featurize</c>'s <c>{output}/features</c>) into
/// the 256 customer shard files <c>shards/{partition}.parquet</c>, as the compaction function does in Azure.
/// </summary>
internal static class CompactCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var features = new Option<string>("--features", "-f") { Description = "Features folder holding {name}.parquet partials (shards/ is written in it)." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result." };
        var command = new Command("compact", "Merge a features folder's partials into the 256 customer shard files that training and scoring read.");
        command.Options.Add(features);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = parseResult.GetValue(features);
            if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            {
                throw new CliUserException("--features must name an existing folder.", "give the features folder of clv featurize, e.g. --features out/features");
            }

            var result = await LocalShards.CompactAsync(directory, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.LocalCompaction));
            }
            else
            {
                console.MarkupLineInterpolated($"{result.Merged} of {result.Partials} partials merged; {result.ShardsWritten} shard files written; {result.Shards} shards in {result.ShardsDirectory}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
