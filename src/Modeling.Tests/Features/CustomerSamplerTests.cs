using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

public class CustomerSamplerTests
{
    private static readonly DateOnly Monday = new(2024, 1, 1);

    /// <summary>Partials of <paramref name="customers"/> customers in <paramref name="shards"/> disjoint parts.</summary>
    private static List<PartialAggregates> Shards(int customers, int shards)
    {
        var all = PartialAggregates.FromTransactions(
            Enumerable.Range(0, customers).Select(c => new Transaction($"customer-{c}", Monday.AddDays(c % 90).ToDateTime(TimeOnly.MinValue), 10 + (c % 7), null, 1)),
            BucketSize.Day);
        return PartialShard.Split(all, id => (int)(CustomerSampler.Key(id, 0) % (ulong)shards), shards).OfType<PartialAggregates>().ToList();
    }

    private static List<string> Sample(IEnumerable<PartialAggregates> shards, int capacity, int seed)
    {
        var sampler = new CustomerSampler(capacity, seed);
        foreach (var shard in shards)
        {
            sampler.Add(shard);
        }

        return sampler.Sample(BucketSize.Day).CustomerIds.Distinct().ToList();
    }

    [Fact]
    public void Sample_KeepsTheCapacityCustomersWithTheSmallestKeys()
    {
        var shards = Shards(5000, 16);

        var sample = Sample(shards, 300, seed: 42);

        var expected = shards.SelectMany(s => s.CustomerIds).Distinct().OrderBy(id => CustomerSampler.Key(id, 42)).Take(300).Order(StringComparer.Ordinal);
        Assert.Equal(expected, sample);
    }

    [Fact]
    public void Sample_DoesNotDependOnTheOrderOfShards()
    {
        var shards = Shards(3000, 8);

        Assert.Equal(Sample(shards, 250, seed: 7), Sample(Enumerable.Reverse(shards), 250, seed: 7));
    }

    [Fact]
    public void Sample_KeepsEveryCustomer_WhenThereAreFewerThanTheCapacity()
    {
        var shards = Shards(200, 4);

        Assert.Equal(200, Sample(shards, 1000, seed: 1).Count);
    }

    [Fact]
    public void AnotherSeed_GivesAnotherSample()
    {
        var shards = Shards(3000, 8);

        Assert.NotEqual(Sample(shards, 250, seed: 1), Sample(shards, 250, seed: 2));
    }
}
