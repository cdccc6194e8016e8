using System.Runtime.CompilerServices;
using Clv.Modeling.Features;
using Clv.Modeling.Workflow;

namespace Clv.Cli.Local;

/// <summary>
/// <see cref="IPartialsSource"/> over the partials <c>clv featurize</c> wrote: Parquet files, or folders of
/// <c>*.parquet</c> (read in name order); <see cref="ReadAsync(IReadOnlyList{string}, CancellationToken)"/> loads them
/// through the workflow.
/// </summary>
internal sealed class LocalPartials(IReadOnlyList<string> files) : IPartialsSource
{
    /// <summary>Finds the partials files of <paramref name="paths"/> and merges them with <see cref="ClvWorkflow.LoadPartialsAsync"/>.</summary>
    /// <exception cref="CliUserException">A path is missing, holds no partials, or a file is not a partials file.</exception>
    public static async Task<PartialAggregates> ReadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        try
        {
            return await ClvWorkflow.LoadPartialsAsync(new LocalPartials(Files(paths)), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUserException(ex.Message, "give the Parquet files written by clv featurize, all with the same --bucket (day keeps every model bucket possible)");
        }
    }

    public async IAsyncEnumerable<PartialAggregates> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in files)
        {
            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                PartialAggregates partial;
                try
                {
                    partial = await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
                {
                    throw new InvalidDataException($"{file} is not a partials file: {ex.Message}", ex);
                }

                yield return partial;
            }
        }
    }

    private static List<string> Files(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new CliUserException("--features is required.", "give the features folder written by clv featurize or clv run, e.g. --features out/features");
        }

        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.parquet").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new CliUserException($"features '{path}' not found.", "give Parquet files or folders written by clv featurize");
            }
        }

        if (files.Count == 0)
        {
            throw new CliUserException($"no .parquet files in {string.Join(", ", paths)}.", "run clv featurize first, e.g. clv featurize --input orders.csv --output out/ --bucket day");
        }

        return files;
    }
}
