using Clv.Modeling.Features;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Adapters;

/// <summary>
/// Reads the training sample: shard files one part at a time through a <see cref="CustomerSampler"/>, so memory holds
/// the sample and one part of a shard (<see cref="StoredPartials"/>); partials of exports (whose customers repeat across files) are merged first and then sampled.
/// </summary>
internal static class CustomerSample
{
    /// <summary>At most <paramref name="capacity"/> customers of <paramref name="partials"/>, drawn with <paramref name="seed"/>.</summary>
    public static async Task<PartialAggregates> ReadAsync(IReadOnlyList<PartialSource> partials, int capacity, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var sampler = new CustomerSampler(capacity, seed);
        var unsharded = new List<PartialAggregates>();
        var bucket = BucketSize.Day;
        foreach (var source in partials)
        {
            // Read through the one reader of stored partials; a shard file's customers appear in no other file.
            await foreach (var partial in new StoredPartials([source]).ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                bucket = partial.Bucket;
                if (source.ByCustomerShard)
                {
                    sampler.Add(partial);
                }
                else
                {
                    unsharded.Add(partial);
                }
            }
        }

        if (unsharded.Count > 0)
        {
            sampler.Add(PartialAggregates.Merge(unsharded));
        }

        return sampler.Sample(bucket);
    }
}
