using System.Runtime.CompilerServices;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Model;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Modeling;

/// <summary><see cref="ISequenceSource"/> over <see cref="PartialAggregates"/> (Parquet, merge) and <see cref="SequenceBuilder"/>.</summary>
internal sealed class ModelingSequenceSource : ISequenceSource
{
    public async Task<SequenceSet> FromPartialsAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly asOf, ModelMetadata model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var merged = await MergeAsync(partials, includeCustomer, model.Bucket, cancellationToken).ConfigureAwait(false);
        return new SequenceBuilder(model.Bucket, model.SequenceLength).Build(merged, asOf);
    }

    public async IAsyncEnumerable<SequenceSet> FromPartialsInBatchesAsync(
        IReadOnlyList<PartialSource> partials,
        Func<string, bool> includeCustomer,
        int batchSize,
        DateOnly asOf,
        ModelMetadata model,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var merged = await MergeAsync(partials, includeCustomer, model.Bucket, cancellationToken).ConfigureAwait(false);
        var builder = new SequenceBuilder(model.Bucket, model.SequenceLength);
        foreach (var slice in PartialShard.SliceByCustomers(merged, batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return builder.Build(slice, asOf);
        }
    }

    /// <summary>The kept customers' rows of every source (shard files read as their merged sums), in the model's bucket.</summary>
    private static async Task<PartialAggregates> MergeAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, BucketSize bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(includeCustomer);
        var kept = new List<PartialAggregates>(partials.Count);
        foreach (var source in partials)
        {
            var stream = await source.Open(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var partial = source.ByCustomerShard
                    ? (await PartialShard.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false)).Merged()
                    : await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                kept.Add(Filter(partial, includeCustomer).Rebucket(bucket));
            }
        }

        return kept.Count switch
        {
            0 => PartialAggregates.Empty(bucket),
            1 => kept[0],
            _ => PartialAggregates.Merge(kept),
        };
    }

    public async Task<IReadOnlyDictionary<string, double>> SpendAsync(IReadOnlyList<PartialSource> partials, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var spend = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var source in partials)
        {
            var stream = await source.Open(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                // Stored partials are daily; a coarser file counts a cell only when its whole bucket lies in the window.
                var partial = await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                var widthDays = partial.Bucket switch { BucketSize.Day => 1, BucketSize.Week => 7, _ => 31 };
                for (var row = 0; row < partial.Count; row++)
                {
                    var start = partial.BucketStarts[row];
                    if (start >= firstDay && start.AddDays(widthDays - 1) <= lastDay)
                    {
                        var id = partial.CustomerIds[row];
                        spend[id] = spend.GetValueOrDefault(id) + partial.NetSpend[row];
                    }
                }
            }
        }

        return spend;
    }

    public SequenceSet FromTransactions(string customerId, IReadOnlyList<Transaction> transactions, DateOnly asOf, ModelMetadata model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new SequenceBuilder(model.Bucket, model.SequenceLength).BuildOne(customerId, transactions, asOf);
    }

    /// <summary>The rows of the customers <paramref name="include"/> accepts (rows stay sorted by customer and bucket).</summary>
    internal static PartialAggregates Filter(PartialAggregates partial, Func<string, bool> include)
    {
        var rows = new List<int>(partial.Count);
        string? lastId = null;
        var lastKept = false;
        for (var i = 0; i < partial.Count; i++)
        {
            var id = partial.CustomerIds[i];
            if (!ReferenceEquals(id, lastId) && id != lastId)
            {
                lastId = id;
                lastKept = include(id);
            }

            if (lastKept)
            {
                rows.Add(i);
            }
        }

        if (rows.Count == partial.Count)
        {
            return partial;
        }

        T[] Take<T>(T[] column) => rows.Select(r => column[r]).ToArray();
        return new PartialAggregates(partial.Bucket, Take(partial.CustomerIds), Take(partial.BucketStarts), Take(partial.NetSpend), Take(partial.Orders), Take(partial.Items), Take(partial.Returns));
    }
}
