using System.Globalization;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Pipeline.Storage;

namespace Clv.Cli.Local;

/// <summary>
/// The customer shards of a local features folder: <c>{features}/shards/{partition}.parquet</c>, the same files and
/// the same partitions (<see cref="ShardKey"/>) as container <c>features</c> in Azure, merged from every
/// <c>{features}/{name}.parquet</c>. A partial whose version (size and last write time) a shard already holds is not merged again.
/// </summary>
internal static class LocalShards
{
    /// <summary>Merges every partial of <paramref name="featuresDirectory"/> into its shard files; removes partials that are gone.</summary>
    /// <remarks>
    /// Each partial is split by shard into local files a row group at a time (<see cref="PartialSpill"/>) and each touched
    /// shard file rewritten as it streams (<see cref="ShardFileRewriter"/>), as the pipeline's compaction does, so memory
    /// holds one shard's part of one partial, never a whole partial or shard.
    /// </remarks>
    public static async Task<LocalCompaction> CompactAsync(string featuresDirectory, CancellationToken cancellationToken)
    {
        var partials = Directory.EnumerateFiles(featuresDirectory, "*.parquet").Order(StringComparer.Ordinal).ToList();
        var shardsDirectory = Path.Combine(featuresDirectory, "shards");
        Directory.CreateDirectory(shardsDirectory);
        var summaries = new ShardFileSummary?[ShardKey.PartitionCount];
        for (var p = 0; p < summaries.Length; p++)
        {
            summaries[p] = await ReadSummaryAsync(ShardPath(shardsDirectory, p), cancellationToken).ConfigureAwait(false);
        }

        var changed = new bool[ShardKey.PartitionCount];
        var merged = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in partials)
        {
            var source = Path.GetFileName(file);
            present.Add(source);
            var info = new FileInfo(file);
            var version = string.Create(CultureInfo.InvariantCulture, $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
            if (summaries.Any(s => s is not null && s.Versions.TryGetValue(source, out var held) && held == version))
            {
                continue;
            }

            using var spill = await SplitAsync(file, cancellationToken).ConfigureAwait(false);
            for (var p = 0; p < ShardKey.PartitionCount; p++)
            {
                var rewritten = false;
                if (spill.Read(p) is { } part)
                {
                    rewritten = await RewriteAsync(shardsDirectory, p, source, version, part.Rebucket(BucketSize.Day), cancellationToken).ConfigureAwait(false);
                }
                else if (summaries[p]?.Versions.ContainsKey(source) == true)
                {
                    rewritten = await RewriteAsync(shardsDirectory, p, source, null, null, cancellationToken).ConfigureAwait(false);
                }

                if (rewritten)
                {
                    changed[p] = true;
                    summaries[p] = await ReadSummaryAsync(ShardPath(shardsDirectory, p), cancellationToken).ConfigureAwait(false);
                }
            }

            merged++;
        }

        for (var p = 0; p < summaries.Length; p++)
        {
            var rewritten = false;
            foreach (var gone in summaries[p]?.Versions.Keys.Where(s => !present.Contains(s)).ToList() ?? [])
            {
                rewritten |= await RewriteAsync(shardsDirectory, p, gone, null, null, cancellationToken).ConfigureAwait(false);
            }

            if (rewritten)
            {
                changed[p] = true;
                summaries[p] = await ReadSummaryAsync(ShardPath(shardsDirectory, p), cancellationToken).ConfigureAwait(false);
            }
        }

        return new LocalCompaction(Path.GetFullPath(shardsDirectory), partials.Count, merged, changed.Count(c => c), summaries.Count(s => s is { Rows: > 0 }));
    }

    /// <summary>The partial <paramref name="file"/> split by shard into a temporary folder.</summary>
    private static Task<PartialSpill> SplitAsync(string file, CancellationToken cancellationToken) =>
        PartialSpill.CreateAsync(file, ShardKey.Partition, ShardKey.PartitionCount, Path.Combine(Path.GetTempPath(), "clv-split-" + Guid.NewGuid().ToString("N")), cancellationToken);

    /// <summary>Rewrites one shard file with <paramref name="source"/>'s rows replaced (or removed when <paramref name="rows"/> is <see langword="null"/>).</summary>
    /// <returns>Whether the file changed.</returns>
    private static async Task<bool> RewriteAsync(string shardsDirectory, int partition, string source, string? version, PartialAggregates? rows, CancellationToken cancellationToken)
    {
        var path = ShardPath(shardsDirectory, partition);
        var temporary = path + ".tmp";
        bool changed;
        var current = File.Exists(path) ? File.OpenRead(path) : null;
        try
        {
            var output = File.Create(temporary);
            await using (output.ConfigureAwait(false))
            {
                changed = await ShardFileRewriter.RewriteAsync(current, source, version, rows, output, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (current is not null)
            {
                await current.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (changed)
        {
            File.Move(temporary, path, overwrite: true);
        }
        else
        {
            File.Delete(temporary);
        }

        return changed;
    }

    private static async Task<ShardFileSummary?> ReadSummaryAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await PartialShard.ReadSummaryAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string ShardPath(string shardsDirectory, int partition) =>
        Path.Combine(shardsDirectory, partition.ToString("x2", CultureInfo.InvariantCulture) + ".parquet");
}

/// <summary>What <see cref="LocalShards.CompactAsync"/> did.</summary>
/// <param name="ShardsDirectory">Where the shard files are.</param>
/// <param name="Partials">Partials found.</param>
/// <param name="Merged">Partials merged in (new or changed since the last compaction).</param>
/// <param name="ShardsWritten">Shard files written.</param>
/// <param name="Shards">Shard files with rows.</param>
internal sealed record LocalCompaction(string ShardsDirectory, int Partials, int Merged, int ShardsWritten, int Shards);
