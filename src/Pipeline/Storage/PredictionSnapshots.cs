using System.Globalization;
using Azure.Storage.Blobs.Models;
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

    /// <summary>Writes one shard's predictions (replacing the blob when the shard is scored again).</summary>
    public static async Task WriteAsync(ClvStorage storage, string modelVersion, DateOnly asOf, int shardIndex, ClvPredictionBatch scores, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var buffer = new MemoryStream();
        await PredictionFiles.WriteParquetAsync(scores, modelVersion, asOf, buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        await storage.Models.GetBlobClient(BlobName(modelVersion, asOf, shardIndex)).UploadAsync(buffer, overwrite: true, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The predictions of <paramref name="blobs"/>, concatenated.</summary>
    /// <exception cref="InvalidDataException">A blob is not a predictions file.</exception>
    public static async Task<ClvPredictionBatch> ReadAsync(ClvStorage storage, IReadOnlyList<string> blobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(blobs);
        var parts = new List<ClvPredictionBatch>(blobs.Count);
        foreach (var name in blobs)
        {
            var content = await storage.Models.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            using var stream = content.Value.Content.ToStream();
            parts.Add((await PredictionFiles.ReadParquetAsync(stream, $"{storage.Names.Models}/{name}", cancellationToken).ConfigureAwait(false)).Scores);
        }

        return new ClvPredictionBatch(
            parts.SelectMany(p => p.CustomerIds).ToList(),
            [.. parts.SelectMany(p => p.Clv)],
            [.. parts.SelectMany(p => p.PPurchase)],
            [.. parts.SelectMany(p => p.ClvP10)],
            [.. parts.SelectMany(p => p.ClvP50)],
            [.. parts.SelectMany(p => p.ClvP90)]);
    }
}
