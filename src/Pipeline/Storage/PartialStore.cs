using Clv.Pipeline.Score;

namespace Clv.Pipeline.Storage;

/// <summary>Lists the partial-aggregates files of container <c>features</c>.</summary>
public static class PartialStore
{
    /// <summary>Every <c>.parquet</c> blob of <c>features</c> outside <c>shards/</c> (one per export), ordered by name so merges are deterministic.</summary>
    public static async Task<IReadOnlyList<PartialSource>> ListAsync(ClvStorage storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var sources = new List<PartialSource>();
        await foreach (var item in storage.Features.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!item.Name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || FeatureShardStore.IsShardBlob(item.Name))
            {
                continue;
            }

            var blob = storage.Features.GetBlobClient(item.Name);
            sources.Add(new PartialSource(item.Name, async ct => await blob.OpenReadAsync(ClvStorage.ReadOptions(), ct).ConfigureAwait(false)));
        }

        sources.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sources;
    }
}
