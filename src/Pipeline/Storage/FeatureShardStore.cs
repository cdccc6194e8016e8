using System.Globalization;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs.Models;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Storage;

/// <summary>
/// The features merged by customer shard, in container <c>features</c>: <c>shards/{partition}.parquet</c> (two hex
/// digits, the <see cref="ShardKey"/> partition of the <c>Predictions</c> table), and per compacted partial a manifest
/// <c>shards/sources/{partial blob}.json</c> naming the partitions it contributed to. Training and scoring read these.
/// </summary>
public static class FeatureShardStore
{
    /// <summary>Folder of the shard files and manifests.</summary>
    public const string Folder = "shards/";

    private const string ManifestFolder = Folder + "sources/";

    /// <summary>The shard file of <paramref name="partition"/>, <c>shards/{xx}.parquet</c>.</summary>
    public static string BlobName(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, ShardKey.PartitionCount);
        return Folder + partition.ToString("x2", CultureInfo.InvariantCulture) + ".parquet";
    }

    /// <summary>The manifest of the partial <paramref name="partialBlob"/>.</summary>
    public static string ManifestBlob(string partialBlob)
    {
        ArgumentException.ThrowIfNullOrEmpty(partialBlob);
        return ManifestFolder + partialBlob + ".json";
    }

    /// <summary>Whether <paramref name="blobName"/> of <c>features</c> belongs to the shards (not an export's partial).</summary>
    public static bool IsShardBlob(string blobName) => blobName.StartsWith(Folder, StringComparison.Ordinal);

    /// <summary>The partition of a shard file name, or -1 when it is not one.</summary>
    public static int PartitionOf(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        return blobName.Length == Folder.Length + 10 && IsShardBlob(blobName) && blobName.EndsWith(".parquet", StringComparison.Ordinal)
            && int.TryParse(blobName.AsSpan(Folder.Length, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var partition)
            ? partition
            : -1;
    }

    /// <summary>
    /// The shard files of the partitions <paramref name="include"/> accepts (all when <see langword="null"/>), ordered by
    /// partition; one listing request, no file is read.
    /// </summary>
    public static async Task<IReadOnlyList<PartialSource>> ListAsync(ClvStorage storage, Func<int, bool>? include = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var sources = new List<PartialSource>();
        await foreach (var item in storage.Features.GetBlobsAsync(BlobTraits.None, BlobStates.None, Folder, cancellationToken).ConfigureAwait(false))
        {
            var partition = PartitionOf(item.Name);
            if (partition < 0 || (include is not null && !include(partition)))
            {
                continue;
            }

            var blob = storage.Features.GetBlobClient(item.Name);
            sources.Add(new PartialSource(item.Name, async ct => await blob.OpenReadAsync(ClvStorage.ReadOptions(), ct).ConfigureAwait(false)) { ByCustomerShard = true });
        }

        sources.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sources;
    }

    /// <summary>The shard files training and scoring read, or, before any compaction, every export's partial.</summary>
    /// <param name="storage">The account.</param>
    /// <param name="include">Partitions to read (all when <see langword="null"/>); partials are not filtered.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public static async Task<IReadOnlyList<PartialSource>> FeaturesAsync(ClvStorage storage, Func<int, bool>? include = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var shards = await ListAsync(storage, cancellationToken: cancellationToken).ConfigureAwait(false);
        return shards.Count > 0
            ? shards.Where(s => include is null || include(PartitionOf(s.Name))).ToList()
            : await PartialStore.ListAsync(storage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manifest of <paramref name="partialBlob"/>, or <see langword="null"/> when it was never compacted.</summary>
    public static async Task<ShardManifest?> ReadManifestAsync(ClvStorage storage, string partialBlob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        try
        {
            var content = await storage.Features.GetBlobClient(ManifestBlob(partialBlob)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson(ShardManifestJsonContext.Default.ShardManifest);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes (or, when <paramref name="manifest"/> is <see langword="null"/>, deletes) the manifest of <paramref name="partialBlob"/>.</summary>
    public static async Task WriteManifestAsync(ClvStorage storage, string partialBlob, ShardManifest? manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var blob = storage.Features.GetBlobClient(ManifestBlob(partialBlob));
        if (manifest is null)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await blob.UploadAsync(BinaryData.FromObjectAsJson(manifest, ShardManifestJsonContext.Default.ShardManifest), overwrite: true, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What one partial contributed to the shards.</summary>
/// <param name="Version">The partial's version merged in (the export ETag it was written from).</param>
/// <param name="Partitions">The partitions holding its rows, ascending.</param>
public sealed record ShardManifest(string Version, IReadOnlyList<int> Partitions);

/// <summary>
/// The JSON of <see cref="ShardManifest"/>, generated at build time with the serializer's defaults: names as declared
/// (<c>Version</c>, <c>Partitions</c>), compact.
/// </summary>
[JsonSerializable(typeof(ShardManifest))]
internal sealed partial class ShardManifestJsonContext : JsonSerializerContext;
