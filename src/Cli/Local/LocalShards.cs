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
    public static async Task<LocalCompaction> CompactAsync(string featuresDirectory, CancellationToken cancellationToken)
    {
        var partials = Directory.EnumerateFiles(featuresDirectory, "*.parquet").Order(StringComparer.Ordinal).ToList();
        var shardsDirectory = Path.Combine(featuresDirectory, "shards");
        Directory.CreateDirectory(shardsDirectory);
        var shards = new PartialShard?[ShardKey.PartitionCount];
        var changed = new bool[ShardKey.PartitionCount];
        for (var p = 0; p < shards.Length; p++)
        {
            var path = ShardPath(shardsDirectory, p);
            if (File.Exists(path))
            {
                var stream = File.OpenRead(path);
                await using (stream.ConfigureAwait(false))
                {
                    shards[p] = await PartialShard.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var merged = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in partials)
        {
            var source = Path.GetFileName(file);
            present.Add(source);
            var info = new FileInfo(file);
            var version = string.Create(CultureInfo.InvariantCulture, $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
            if (shards.Any(s => s?.VersionOf(source) == version))
            {
                continue;
            }

            PartialAggregates partial;
            var partialStream = File.OpenRead(file);
            await using (partialStream.ConfigureAwait(false))
            {
                partial = (await PartialAggregates.ReadParquetAsync(partialStream, cancellationToken).ConfigureAwait(false)).Rebucket(BucketSize.Day);
            }

            var parts = PartialShard.Split(partial, ShardKey.Partition, ShardKey.PartitionCount);
            for (var p = 0; p < parts.Length; p++)
            {
                var shard = shards[p] ?? PartialShard.Empty(BucketSize.Day);
                if (parts[p] is { } part)
                {
                    shards[p] = shard.With(source, version, part);
                    changed[p] = true;
                }
                else if (shard.VersionOf(source) is not null)
                {
                    shards[p] = shard.Without(source);
                    changed[p] = true;
                }
            }

            merged++;
        }

        for (var p = 0; p < shards.Length; p++)
        {
            foreach (var gone in shards[p]?.Versions.Keys.Where(s => !present.Contains(s)).ToList() ?? [])
            {
                shards[p] = shards[p]!.Without(gone);
                changed[p] = true;
            }

            if (changed[p])
            {
                var path = ShardPath(shardsDirectory, p);
                var temporary = path + ".tmp";
                var stream = File.Create(temporary);
                await using (stream.ConfigureAwait(false))
                {
                    await shards[p]!.WriteParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                }

                File.Move(temporary, path, overwrite: true);
            }
        }

        return new LocalCompaction(Path.GetFullPath(shardsDirectory), partials.Count, merged, changed.Count(c => c), shards.Count(s => s is { Count: > 0 }));
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
