using System.Globalization;
using Azure.Storage.Blobs.Models;
using Clv.Modeling.Features;
using Clv.Modeling.Scoring;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Every batch scoring's predictions as kept for later judgement, in container <c>models</c>:
/// <c>{version}/predictions/{asOf}/{shardIndex}.parquet</c> (the columns of <see cref="PredictionFiles"/>). The
/// <c>Predictions</c> table keeps only each customer's latest row; these keep what was predicted when.
/// </summary>
public static class PredictionSnapshots
{
    private const string Folder = "predictions";

    /// <summary>The blob of one scored shard.</summary>
    public static string BlobName(string modelVersion, DateOnly asOf, int shardIndex) =>
        $"{modelVersion}/{Folder}/{asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{shardIndex.ToString("d3", CultureInfo.InvariantCulture)}.parquet";

    /// <summary>
    /// Starts one shard's snapshot: batches are written as they are scored to a local temporary file, one row group
    /// each, and <see cref="PredictionSnapshotWriter.CommitAsync"/> uploads it (replacing the blob when the shard is
    /// scored again). Memory holds one batch, whatever the size of the shard.
    /// </summary>
    public static async Task<PredictionSnapshotWriter> CreateAsync(ClvStorage storage, string modelVersion, DateOnly asOf, int shardIndex, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var path = Path.Combine(Path.GetTempPath(), "clv-snapshot-" + Guid.NewGuid().ToString("N") + ".parquet");
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        try
        {
            var writer = await PredictionFileWriter.CreateAsync(file, modelVersion, asOf, cancellationToken).ConfigureAwait(false);
            return new PredictionSnapshotWriter(storage.Models.GetBlobClient(BlobName(modelVersion, asOf, shardIndex)), path, file, writer);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Every (model version, as-of) with stored predictions, and its shard blobs.</summary>
    public static async Task<IReadOnlyList<(string ModelVersion, DateOnly AsOf, IReadOnlyList<string> Blobs)>> ListAsync(ClvStorage storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var found = new SortedDictionary<(string, DateOnly), List<string>>();
        await foreach (var item in storage.Models.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).ConfigureAwait(false))
        {
            var parts = item.Name.Split('/');
            if (parts.Length == 4 && parts[1] == Folder && parts[3].EndsWith(".parquet", StringComparison.Ordinal)
                && DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
            {
                var key = (parts[0], asOf);
                if (!found.TryGetValue(key, out var blobs))
                {
                    found[key] = blobs = [];
                }

                blobs.Add(item.Name);
            }
        }

        return found.Select(kv => (kv.Key.Item1, kv.Key.Item2, (IReadOnlyList<string>)kv.Value)).ToList();
    }

    /// <summary>
    /// A seeded sample of the predictions of <paramref name="blobs"/>: at most <paramref name="capacity"/> customers,
    /// drawn by the training sample's rule (<see cref="CustomerSampler"/>: the smallest <c>XxHash64(id, seed)</c>), read
    /// one blob at a time so memory holds the sample and one shard's predictions, not every customer's.
    /// </summary>
    /// <param name="storage">The storage account.</param>
    /// <param name="blobs">The snapshot's shard blobs.</param>
    /// <param name="capacity">Most customers kept.</param>
    /// <param name="seed">Seed of the hash.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The sampled predictions, in the order read, and the number of customers predicted in all.</returns>
    /// <exception cref="InvalidDataException">A blob is not a predictions file.</exception>
    public static async Task<(ClvPredictionBatch Sample, long Predicted)> ReadSampleAsync(ClvStorage storage, IReadOnlyList<string> blobs, int capacity, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(blobs);
        var sampler = new CustomerSampler(capacity, seed);
        var kept = new ClvPredictionBatchBuilder();
        foreach (var name in blobs)
        {
            var content = await storage.Models.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            ClvPredictionBatch scores;
            using (var stream = content.Value.Content.ToStream())
            {
                scores = (await PredictionFiles.ReadParquetAsync(stream, $"{storage.Names.Models}/{name}", cancellationToken).ConfigureAwait(false)).Scores;
            }

            for (var i = 0; i < scores.Count; i++)
            {
                if (sampler.Offer(scores.CustomerIds[i]))
                {
                    kept.Add(scores.CustomerIds[i], scores[i]);
                }
            }

            // Rows accepted early may have fallen out of the sample since; drop them before they outnumber it twice.
            if (kept.Count > 2L * capacity)
            {
                kept.RemoveWhere(id => !sampler.Contains(id));
            }
        }

        kept.RemoveWhere(id => !sampler.Contains(id));
        return (kept.ToBatch(), sampler.CustomersSeen);
    }
}
