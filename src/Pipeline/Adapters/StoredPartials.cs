using System.Runtime.CompilerServices;
using Clv.Modeling.Features;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Adapters;

/// <summary><see cref="IPartialsSource"/> over the Parquet files of container <c>features</c> (customer shard files or export partials), read in the order listed.</summary>
/// <param name="files">The files, e.g. from <c>FeatureShardStore.FeaturesAsync</c>.</param>
internal sealed class StoredPartials(IReadOnlyList<PartialSource> files) : IPartialsSource
{
    /// <summary>Customers per part a shard file is read in: a shard grows with the shop, a part does not.</summary>
    internal const int ShardPartCustomers = 1 << 14;

    /// <summary>
    /// Each export partial whole, and each customer shard file in parts of <see cref="ShardPartCustomers"/> customers
    /// streamed a row group at a time (a shard file's customers appear in no other file, so its parts are disjoint).
    /// </summary>
    public async IAsyncEnumerable<PartialAggregates> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in files)
        {
            if (file.ByCustomerShard)
            {
                await foreach (var part in ReadShardInBatchesAsync(file, ShardPartCustomers, null, cancellationToken).ConfigureAwait(false))
                {
                    yield return part;
                }

                continue;
            }

            var stream = await file.Open(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                PartialAggregates partial;
                try
                {
                    partial = await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
                {
                    throw new InvalidDataException($"{file.Name} is not a partials file: {ex.Message}", ex);
                }

                yield return partial;
            }
        }
    }

    /// <summary>The merged customers of one shard file, <paramref name="batchSize"/> customers at a time (<see cref="PartialShard.ReadMergedInBatchesAsync"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a shard file; the message names it.</exception>
    public static async IAsyncEnumerable<PartialAggregates> ReadShardInBatchesAsync(PartialSource file, int batchSize, Func<string, bool>? includeCustomer, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = await file.Open(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var batches = PartialShard.ReadMergedInBatchesAsync(stream, batchSize, includeCustomer, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (batches.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await batches.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
                    {
                        throw new InvalidDataException($"{file.Name} is not a partials file: {ex.Message}", ex);
                    }

                    yield return batches.Current;
                }
            }
        }
    }
}
