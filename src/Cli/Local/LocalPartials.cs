using Clv.Modeling.Features;

namespace Clv.Cli.Local;

/// <summary>Reads partials written by <c>clv featurize</c> (files, or folders of <c>*.parquet</c>) and merges them.</summary>
internal static class LocalPartials
{
    public static async Task<PartialAggregates> ReadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
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

        var partials = new List<PartialAggregates>(files.Count);
        foreach (var file in files)
        {
            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    partials.Add(await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
                {
                    throw new CliUserException($"{file} is not a partials file: {ex.Message}", "give the Parquet files written by clv featurize");
                }
            }
        }

        try
        {
            return PartialAggregates.Merge(partials);
        }
        catch (ArgumentException ex)
        {
            throw CliUserException.FromArgument(ex, "featurize every export with the same --bucket (day keeps every model bucket possible)");
        }
    }
}
