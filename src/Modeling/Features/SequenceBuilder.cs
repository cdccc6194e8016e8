using Clv.Modeling.Ingest;

namespace Clv.Modeling.Features;

/// <summary>
/// Turns partial aggregates into per-customer feature sequences ending at an as-of date: the one code path for
/// training inputs, batch scoring and live scoring of a single customer.
/// </summary>
/// <remarks>
/// A customer's sequence starts at the bucket of their first activity and ends at the as-of bucket; only the last
/// <see cref="SequenceLength"/> buckets are kept (recency, tenure and the spend and order rates still count the whole history);
/// shorter sequences are right-padded with zeros. Customers with no activity on or before the as-of bucket are left out.
/// Rows after the as-of bucket are ignored. Per-step features, in <see cref="FeatureNames"/> order:
/// <list type="number">
/// <item><c>log1p_net_spend</c>: <c>sign(s) * log(1 + |s|)</c> of the bucket's net spend <c>s</c>.</item>
/// <item><c>orders</c>: distinct orders in the bucket.</item>
/// <item><c>log1p_items</c>: <c>log(1 + max(items, 0))</c>.</item>
/// <item><c>returns</c>: return lines in the bucket.</item>
/// <item><c>has_purchase</c>: 1 when the bucket has an order, else 0.</item>
/// <item><c>steps_since_purchase</c>: buckets since the latest bucket with an order (0 in such a bucket; tenure before the first).</item>
/// <item><c>log1p_tenure_steps</c>: <c>log(1 + buckets since the first active bucket)</c>.</item>
/// <item><c>log1p_spend_rate</c>: signed <c>log1p</c> of net spend from the first bucket through this one, per bucket of tenure.</item>
/// <item><c>order_rate</c>: orders from the first bucket through this one per bucket of tenure (the BG/NBD frequency as a rate).</item>
/// </list>
/// </remarks>
public sealed class SequenceBuilder
{
    /// <summary>Per-step feature names, in input order (<c>F</c> = 8); written into the model's metadata.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
    [
        "log1p_net_spend",
        "orders",
        "log1p_items",
        "returns",
        "has_purchase",
        "steps_since_purchase",
        "log1p_tenure_steps",
        "log1p_spend_rate",
        "order_rate",
    ];

    /// <summary>Creates a builder for buckets of <paramref name="bucket"/> and sequences of <paramref name="sequenceLength"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> is less than 1.</exception>
    public SequenceBuilder(BucketSize bucket, int sequenceLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        Bucket = bucket;
        SequenceLength = sequenceLength;
    }

    /// <summary>Width of one step.</summary>
    public BucketSize Bucket { get; }

    /// <summary>Steps per sequence, <c>T</c>.</summary>
    public int SequenceLength { get; }

    /// <summary>Number of features per step, <c>F</c>.</summary>
    public static int FeatureCount => FeatureNames.Count;

    /// <summary>Sequences of every customer active on or before <paramref name="asOf"/>, in customer-id order.</summary>
    /// <param name="partials">Sorted partials in this builder's bucket.</param>
    /// <param name="asOf">Last day of data; its bucket is the last step.</param>
    /// <param name="reuse">
    /// Features of a set no longer used: cleared and filled again when they have exactly the size needed, instead of a new
    /// array. Scoring builds set after set of the same size, each one large enough to be a large object, which only a
    /// full collection frees.
    /// </param>
    /// <returns>Features <c>[N, T, F]</c> with lengths <c>[N]</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="partials"/> use another bucket size.</exception>
    public SequenceSet Build(PartialAggregates partials, DateOnly asOf, float[]? reuse = null)
    {
        ArgumentNullException.ThrowIfNull(partials);
        if (partials.Bucket != Bucket)
        {
            throw new ArgumentException($"Partials are in {BucketNames.Name(partials.Bucket)}s; this builder uses {BucketNames.Name(Bucket)}s.", nameof(partials));
        }

        var asOfBucket = BucketMath.Index(asOf, Bucket);
        var ids = new List<string>();
        var lengths = new List<int>();
        var rows = new List<int>();
        foreach (var (start, end) in CustomerRanges(partials))
        {
            var length = Length(partials, start, asOfBucket);
            if (length > 0)
            {
                ids.Add(partials.CustomerIds[start]);
                lengths.Add(length);
                rows.Add(start);
            }
        }

        // Sized once from the lengths: growing a list of floats and copying it out held up to three times the set.
        var step = SequenceLength * FeatureCount;
        var size = (long)ids.Count * step;
        float[] features;
        if (reuse is not null && reuse.LongLength == size)
        {
            Array.Clear(reuse);
            features = reuse;
        }
        else
        {
            features = new float[size];
        }

        for (var i = 0; i < rows.Count; i++)
        {
            Fill(partials, rows[i], asOfBucket, features.AsSpan(i * step, step));
        }

        return new SequenceSet(ids, features, [.. lengths], SequenceLength, FeatureNames);
    }

    /// <summary>One customer's sequence from raw transactions (live scoring); every transaction is taken as <paramref name="customerId"/>'s.</summary>
    /// <returns>A set of one sequence, <c>[1, T, F]</c>.</returns>
    /// <exception cref="ArgumentException">No transaction falls on or before <paramref name="asOf"/>.</exception>
    public SequenceSet BuildOne(string customerId, IEnumerable<Transaction> transactions, DateOnly asOf)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentNullException.ThrowIfNull(transactions);
        var partials = PartialAggregates.FromTransactions(transactions.Select(t => t with { CustomerId = customerId }), Bucket);
        var set = Build(partials, asOf);
        if (set.Count == 0)
        {
            throw new ArgumentException($"Customer '{customerId}' has no transaction on or before {asOf:yyyy-MM-dd}.", nameof(transactions));
        }

        return set;
    }

    /// <summary>Half-open row ranges of each customer in sorted partials.</summary>
    internal static IEnumerable<(int Start, int End)> CustomerRanges(PartialAggregates partials)
    {
        var ids = partials.CustomerIds;
        var start = 0;
        for (var i = 1; i <= ids.Length; i++)
        {
            if (i == ids.Length || !string.Equals(ids[i], ids[start], StringComparison.Ordinal))
            {
                yield return (start, i);
                start = i;
            }
        }
    }

    /// <summary>The valid steps of the customer whose rows start at <paramref name="start"/>, histories up to <paramref name="asOfBucket"/>: 0 when inactive by then.</summary>
    internal int Length(PartialAggregates partials, int start, int asOfBucket)
    {
        var firstBucket = BucketMath.Index(partials.BucketStarts[start], Bucket);
        return firstBucket > asOfBucket ? 0 : Math.Min(asOfBucket - firstBucket + 1, SequenceLength);
    }

    /// <summary>
    /// Writes the steps of the customer whose rows start at <paramref name="start"/> into <paramref name="block"/>
    /// <c>[T, F]</c>, which must be zero; the customer must be active by <paramref name="asOfBucket"/> (a positive <see cref="Length"/>).
    /// </summary>
    internal void Fill(PartialAggregates partials, int start, int asOfBucket, Span<float> block)
    {
        var ids = partials.CustomerIds;
        var end = start + 1;
        while (end < ids.Length && string.Equals(ids[end], ids[start], StringComparison.Ordinal))
        {
            end++;
        }

        var firstBucket = BucketMath.Index(partials.BucketStarts[start], Bucket);
        var fullLength = asOfBucket - firstBucket + 1;
        var length = Math.Min(fullLength, SequenceLength);
        var firstKept = asOfBucket - length + 1;
        var row = start;
        var cumulative = 0.0;
        var lastPurchase = -1;
        var cumulativeOrders = 0L;
        for (var bucket = firstBucket; bucket <= asOfBucket; bucket++)
        {
            double spend = 0, items = 0;
            int orders = 0, returns = 0;
            if (row < end && BucketMath.Index(partials.BucketStarts[row], Bucket) == bucket)
            {
                spend = partials.NetSpend[row];
                orders = partials.Orders[row];
                items = partials.Items[row];
                returns = partials.Returns[row];
                row++;
            }

            cumulative += spend;
            cumulativeOrders += orders;
            if (orders > 0)
            {
                lastPurchase = bucket;
            }

            if (bucket < firstKept)
            {
                continue;
            }

            var features = block.Slice((bucket - firstKept) * FeatureCount, FeatureCount);
            features[0] = SignedLog1P(spend);
            features[1] = orders;
            features[2] = (float)Math.Log(1 + Math.Max(items, 0));
            features[3] = returns;
            features[4] = orders > 0 ? 1 : 0;
            features[5] = bucket - (lastPurchase >= 0 ? lastPurchase : firstBucket);
            var tenure = bucket - firstBucket + 1;
            features[6] = (float)Math.Log(tenure);
            features[7] = SignedLog1P(cumulative / tenure);
            features[8] = (float)cumulativeOrders / tenure;
        }
    }

    private static float SignedLog1P(double value) => (float)(Math.Sign(value) * Math.Log(1 + Math.Abs(value)));
}
