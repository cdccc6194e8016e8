
namespace Clv.Modeling.Features;

/// <summary>
/// A seeded, reproducible sample of at most <see cref="Capacity"/> customers, kept while partials stream past one shard
/// at a time: memory is bounded by the capacity (plus one shard), not by the number of customers.
/// </summary>
/// <remarks>
/// <para>
/// The rule (bottom-k by seeded hash): a customer's key is <c>XxHash64(UTF-8 bytes of the customer id, seed)</c>; the
/// sample is the <see cref="Capacity"/> customers with the smallest keys, or every customer when there are fewer. It
/// depends only on the set of customers and the seed: not on the order of shards or files, the machine or the process.
/// The hash is independent of what a customer bought, so the sample is a uniform random sample of customers.
/// </para>
/// <para>
/// Streaming: a max-heap holds the smallest keys seen so far; a customer is kept only while its key is below the
/// largest of them, and kept rows whose key falls out of the heap are dropped once they exceed twice the capacity.
/// </para>
/// </remarks>
public sealed class CustomerSampler
{
    private readonly PriorityQueue<ulong, ulong> _largestFirst = new(Comparer<ulong>.Create((a, b) => b.CompareTo(a)));
    private readonly List<PartialAggregates> _kept = [];
    private long _keptCustomers;

    /// <summary>Creates an empty sample.</summary>
    /// <param name="capacity">Most customers kept.</param>
    /// <param name="seed">Seed of the hash; another seed gives another sample.</param>
    public CustomerSampler(int capacity, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Seed = seed;
    }

    /// <summary>Most customers kept.</summary>
    public int Capacity { get; }

    /// <summary>Seed of the hash.</summary>
    public int Seed { get; }

    /// <summary>Distinct customers offered so far (customers repeat across calls only if the caller repeats them).</summary>
    public long CustomersSeen { get; private set; }

    /// <summary>The key of <paramref name="customerId"/>: <c>XxHash64(UTF-8 bytes, seed)</c>.</summary>
    public static ulong Key(string customerId, int seed) => CustomerIdHash.XxHash64(customerId, seed);

    /// <summary>Offers the customers of <paramref name="partials"/> (sorted by customer, as every partial is); keeps the rows of those that may be in the sample.</summary>
    public void Add(PartialAggregates partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var kept = partials.WhereCustomer(Offer);
        if (kept.Count > 0)
        {
            _kept.Add(kept);
            _keptCustomers += kept.CustomerCount;
        }

        if (_keptCustomers > 2L * Capacity)
        {
            Prune();
        }
    }

    /// <summary>
    /// Offers one customer (each customer once); returns whether it may be in the sample: its key is among the
    /// <see cref="Capacity"/> smallest offered so far. A customer accepted now may later fall out (see <see cref="Contains"/>).
    /// </summary>
    public bool Offer(string customerId)
    {
        CustomersSeen++;
        var key = Key(customerId, Seed);
        if (_largestFirst.Count < Capacity)
        {
            _largestFirst.Enqueue(key, key);
            return true;
        }

        if (key < _largestFirst.Peek())
        {
            _largestFirst.DequeueEnqueue(key, key);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether a customer already offered is in the sample as it stands: fewer than <see cref="Capacity"/> customers
    /// were offered, or its key is at most the largest kept key. Once every customer has been offered, this is the sample.
    /// </summary>
    public bool Contains(string customerId) => _largestFirst.Count < Capacity || Key(customerId, Seed) <= _largestFirst.Peek();

    /// <summary>The sampled customers' rows, merged: at most <see cref="Capacity"/> customers.</summary>
    /// <param name="bucket">Bucket of an empty result.</param>
    public PartialAggregates Sample(BucketSize bucket)
    {
        Prune();
        return _kept.Count == 0 ? PartialAggregates.Empty(bucket) : PartialAggregates.Merge(_kept);
    }

    /// <summary>Drops kept rows of customers whose key is no longer among the smallest.</summary>
    private void Prune()
    {
        if (_largestFirst.Count < Capacity)
        {
            return;
        }

        _keptCustomers = 0;
        for (var i = 0; i < _kept.Count; i++)
        {
            _kept[i] = _kept[i].WhereCustomer(Contains);
            _keptCustomers += _kept[i].CustomerCount;
        }

        _kept.RemoveAll(p => p.Count == 0);
    }
}
