using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs.Models;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Compact;

/// <summary>
/// Merges one export's partial into the shard files it touches (<c>features/shards/{partition}.parquet</c>), replacing
/// that export's previous contribution, and removes it from shards it no longer touches (or from all, when the partial
/// was deleted). Idempotent: a shard that already holds this version of the partial is not written; every write is
/// conditional on the shard's ETag as read, and a lost race is read and merged again.
/// </summary>
public sealed class CompactionJob(ClvStorage storage, ILogger<CompactionJob> logger)
{
    /// <summary>Shard files merged at once: bounds memory to this many shards' parts of the partial and their row groups in and out.</summary>
    public const int MaxParallelShards = 4;

    /// <summary>Attempts per shard when other writers keep changing it.</summary>
    public const int MaxAttempts = 20;

    /// <summary>Compacts the partial named by <paramref name="message"/>.</summary>
    /// <returns>What changed.</returns>
    /// <exception cref="InvalidDataException">The partial is not a partials file.</exception>
    public async Task<CompactionResult> RunAsync(CompactionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var clock = Stopwatch.StartNew();
        using var activity = ClvTelemetry.Source.StartActivity("clv.compact");
        activity?.SetTag("clv.partial", message.Partial);
        var source = message.Partial;
        try
        {
            return await CompactAsync(source, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The partial's parts and the shards' row groups are garbage now (see LargeObjectGarbage).
            LargeObjectGarbage.Collect();
        }
    }

    private async Task<CompactionResult> CompactAsync(string source, Stopwatch clock, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "clv-compact-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            return await CompactAsync(source, folder, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDeleteFolder(folder);
        }
    }

    private async Task<CompactionResult> CompactAsync(string source, string folder, Stopwatch clock, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, "partial.parquet");
        var version = await DownloadPartialAsync(source, path, cancellationToken).ConfigureAwait(false);
        var previous = await FeatureShardStore.ReadManifestAsync(storage, source, cancellationToken).ConfigureAwait(false);

        // The partial is split by shard into local files once; each shard's part is read when its shard is merged, so
        // memory holds the parts of the shards in flight (MaxParallelShards), not the whole partial.
        using var spill = version is null
            ? null
            : await PartialSpill.CreateAsync(path, ShardKey.Partition, ShardKey.PartitionCount, Path.Combine(folder, "parts"), cancellationToken).ConfigureAwait(false);
        var touched = Enumerable.Range(0, ShardKey.PartitionCount).Where(p => spill?.Has(p) ?? false).ToList();
        var targets = Enumerable.Range(0, ShardKey.PartitionCount)
            .Where(p => (spill?.Has(p) ?? false) || (previous?.Partitions.Contains(p) ?? false))
            .ToList();
        var written = 0;
        await Parallel.ForEachAsync(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelShards, CancellationToken = cancellationToken },
            async (partition, ct) =>
            {
                var part = spill?.Read(partition)?.Rebucket(BucketSize.Day);
                if (await UpdateShardAsync(partition, source, version, part, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref written);
                }
            }).ConfigureAwait(false);

        var manifest = version is null ? null : new ShardManifest(version, touched);
        if (manifest is null ? previous is not null : previous is null || previous.Version != manifest.Version || !previous.Partitions.SequenceEqual(manifest.Partitions))
        {
            await FeatureShardStore.WriteManifestAsync(storage, source, manifest, cancellationToken).ConfigureAwait(false);
        }

        PipelineLog.Compacted(logger, source, version ?? "deleted", targets.Count, written, clock.Elapsed.TotalMilliseconds);
        var result = new CompactionResult(source, version, touched.Count, written, clock.Elapsed.TotalSeconds);

        // A newer version of the partial written meanwhile may have been merged before this run's older rows landed:
        // merge the partial as it is now once more, so the last run to finish leaves the current version.
        return await CurrentVersionAsync(source, cancellationToken).ConfigureAwait(false) == version
            ? result
            : await CompactAsync(source, Stopwatch.StartNew(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The partial's version now (the export ETag it was written from), or <see langword="null"/> when it is gone.</summary>
    private async Task<string?> CurrentVersionAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await storage.Features.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return VersionOf(properties.Metadata, properties.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static string VersionOf(IDictionary<string, string> metadata, ETag eTag) =>
        metadata.TryGetValue("sourceetag", out var sourceETag) && !string.IsNullOrEmpty(sourceETag) ? sourceETag : eTag.ToString().Trim('"');

    /// <summary>Compacts every export's partial in <c>features</c> (e.g. once, for features written before compaction existed).</summary>
    public async Task<IReadOnlyList<CompactionResult>> RunAllAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<CompactionResult>();
        foreach (var partial in await PartialStore.ListAsync(storage, cancellationToken).ConfigureAwait(false))
        {
            results.Add(await RunAsync(new CompactionMessage(partial.Name), cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Downloads the partial to <paramref name="path"/>: its version (the export ETag it was written from), or <see langword="null"/> when it does not exist.</summary>
    private async Task<string?> DownloadPartialAsync(string name, string path, CancellationToken cancellationToken)
    {
        try
        {
            var download = await storage.Features.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            using var content = download.Value;
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await content.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            return VersionOf(content.Details.Metadata, content.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Replaces <paramref name="source"/>'s rows in one shard file; false when the shard already held them.</summary>
    private async Task<bool> UpdateShardAsync(int partition, string source, string? version, PartialAggregates? part, CancellationToken cancellationToken)
    {
        var blob = storage.Features.GetBlobClient(FeatureShardStore.BlobName(partition));
        var folder = Path.Combine(Path.GetTempPath(), "clv-compact-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var currentPath = Path.Combine(folder, "current.parquet");
        var updatedPath = Path.Combine(folder, "updated.parquet");
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // The shard file grows with the shop: it goes through local files, read and written one row group at a
                // time, never whole into memory.
                ETag? eTag;
                try
                {
                    var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    using var content = download.Value;
                    eTag = content.Details.ETag;
                    var file = new FileStream(currentPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await using (file.ConfigureAwait(false))
                    {
                        await content.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    eTag = null;
                }

                bool changed;
                var current = eTag is null ? Stream.Null : new FileStream(currentPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await using (current.ConfigureAwait(false))
                {
                    var updated = new FileStream(updatedPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
                    await using (updated.ConfigureAwait(false))
                    {
                        changed = await ShardFileRewriter.RewriteAsync(eTag is null ? null : current, source, version, part, updated, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (!changed)
                {
                    return false;
                }

                var upload = new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/vnd.apache.parquet" },
                    Conditions = eTag is { } existing ? new BlobRequestConditions { IfMatch = existing } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                };
                try
                {
                    await blob.UploadAsync(updatedPath, upload, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (RequestFailedException ex) when (ModelStore.IsConditionNotMet(ex) && attempt < MaxAttempts)
                {
                    // Another export was merged into this shard meanwhile: read it again and merge on top.
                    PipelineLog.CompactionConflict(logger, blob.Name, source, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 100) * attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            TryDeleteFolder(folder);
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless (gone already is fine too); the next run uses a new name.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

/// <summary>The outcome of compacting one partial.</summary>
/// <param name="Partial">The partial's blob name.</param>
/// <param name="Version">Its version merged in, or <see langword="null"/> when it was deleted (and removed from the shards).</param>
/// <param name="Partitions">Shards it has rows in.</param>
/// <param name="ShardsWritten">Shard files written (0 when everything was already up to date).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record CompactionResult(string Partial, string? Version, int Partitions, int ShardsWritten, double Seconds);
