using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Pipeline.Featurize;

namespace Clv.Cli.Local;

/// <summary>The result of featurizing local export files.</summary>
/// <param name="Summaries">One summary per file that was read.</param>
/// <param name="Partials">Merged partials of every file that was read (empty when none was).</param>
/// <param name="Failures">Files that failed as a whole (too many rejected rows), with the reason.</param>
internal sealed record LocalFeaturizeResult(IReadOnlyList<IngestSummary> Summaries, PartialAggregates Partials, IReadOnlyList<string> Failures);

/// <summary>What <see cref="LocalFeaturizer.FeaturizeToFilesAsync"/> wrote.</summary>
/// <param name="Summaries">One summary per file that was read.</param>
/// <param name="PartialFiles">The partials file of each file that was read.</param>
/// <param name="Failures">Files that failed as a whole (too many rejected rows), with the reason.</param>
internal sealed record LocalFeaturizeFilesResult(IReadOnlyList<IngestSummary> Summaries, IReadOnlyList<string> PartialFiles, IReadOnlyList<string> Failures)
{
    /// <summary>Distinct customers over every file: one file's own count, or the union of the files' customer ids.</summary>
    public async Task<int> CustomersAsync(CancellationToken cancellationToken)
    {
        if (PartialFiles.Count <= 1)
        {
            return Summaries.Sum(s => s.Customers);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in PartialFiles)
        {
            ids.UnionWith((await LocalFeaturizer.ReadPartialsAsync(path, cancellationToken).ConfigureAwait(false)).CustomerIds);
        }

        return ids.Count;
    }
}

/// <summary>
/// Featurizes local export files as the blob-triggered job does: <c>features/{name}.parquet</c> and
/// <c>rejected/{name}.csv</c> per file under the output folder; the exports themselves are only read.
/// </summary>
internal static class LocalFeaturizer
{
    /// <summary>The least aggregation state an export may hold before it spills: the blob-triggered job's budget.</summary>
    private const long MinimumBudgetBytes = 256L << 20;

    /// <summary>The hint shown when an export's layout cannot be used.</summary>
    public const string LayoutHint = "map columns with --customer-column, --date-column, --amount-column (or --quantity-column with --unit-price-column), or all at once with --mapping; set --profile, --date-format or --delimiter if detection fails; clv inspect shows what was detected";

    /// <summary>Checks that every input exists; a missing one is a <see cref="CliUserException"/> naming it.</summary>
    public static void RequireInputs(IReadOnlyList<string> files, string usage)
    {
        if (files.Count == 0)
        {
            throw new CliUserException("--input is required.", usage);
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new CliUserException($"input file '{file}' not found.", "check the path; several files can follow one --input");
            }
        }
    }

    /// <summary>
    /// Reads each file and writes its partials and rejected rows, without holding them: each export is aggregated and
    /// written the way the blob-triggered job does it, up to a quarter of the memory available to this process (past it,
    /// the export spills to local files), and the partials file is written a row group at a time.
    /// </summary>
    public static async Task<LocalFeaturizeFilesResult> FeaturizeToFilesAsync(
        IReadOnlyList<string> files,
        string outputDirectory,
        ExportReaderOptions options,
        BucketSize bucket,
        CancellationToken cancellationToken)
    {
        var featuresDirectory = Directory.CreateDirectory(Path.Combine(outputDirectory, "features")).FullName;
        var rejectedDirectory = Directory.CreateDirectory(Path.Combine(outputDirectory, "rejected")).FullName;
        var budgetBytes = Math.Max(MinimumBudgetBytes, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);
        var summaries = new List<IngestSummary>();
        var written = new List<string>();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var name = ExportNames.ExportName(Path.GetFileName(file));
            var path = Path.Combine(featuresDirectory, name + ".parquet");
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                using var rejectedFile = File.Create(Path.Combine(rejectedDirectory, name + ".csv"));
                using var rejected = new CsvRejectedRowWriter(rejectedFile);
                var parquet = File.Create(path);
                await using (parquet.ConfigureAwait(false))
                {
                    summaries.Add(await ExportFeaturizer.FeaturizeToParquetAsync(stream, Path.GetFileName(file), options, bucket, rejected, parquet, budgetBytes, cancellationToken).ConfigureAwait(false));
                }

                written.Add(path);
            }
            catch (ExportFormatException ex) when (ex.Error == ExportFormatError.Layout)
            {
                File.Delete(path);
                throw new CliUserException(ex.Message, LayoutHint);
            }
            catch (ExportFormatException ex)
            {
                File.Delete(path);
                failures.Add(ex.Message);
            }
        }

        return new LocalFeaturizeFilesResult(summaries, written, failures);
    }

    /// <summary>Reads each file, writes its partials and rejected rows (<see cref="FeaturizeToFilesAsync"/>), and merges the partials.</summary>
    /// <exception cref="CliUserException">A file's columns cannot be mapped.</exception>
    public static async Task<LocalFeaturizeResult> FeaturizeAsync(
        IReadOnlyList<string> files,
        string outputDirectory,
        ExportReaderOptions options,
        BucketSize bucket,
        CancellationToken cancellationToken)
    {
        var written = await FeaturizeToFilesAsync(files, outputDirectory, options, bucket, cancellationToken).ConfigureAwait(false);
        var partials = new List<PartialAggregates>(written.PartialFiles.Count);
        foreach (var path in written.PartialFiles)
        {
            partials.Add(await ReadPartialsAsync(path, cancellationToken).ConfigureAwait(false));
        }

        var merged = partials.Count switch
        {
            0 => PartialAggregates.Empty(bucket),
            1 => partials[0],
            _ => PartialAggregates.Merge(partials),
        };
        return new LocalFeaturizeResult(written.Summaries, merged, written.Failures);
    }

    /// <summary>Reads one partials file back.</summary>
    internal static async Task<PartialAggregates> ReadPartialsAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }
}
