using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

public class RebucketTests
{
    private static readonly Transaction[] Transactions =
    [
        new("a", new DateTime(2024, 1, 1), 10, "o1", 1), // Monday
        new("a", new DateTime(2024, 1, 7), 5, "o2", 2),  // Sunday, same ISO week
        new("a", new DateTime(2024, 1, 8), -3, "o3", 1), // next week, a return
        new("b", new DateTime(2024, 2, 29), 4, "o4", 1),
    ];

    [Theory]
    [InlineData(BucketSize.Week)]
    [InlineData(BucketSize.Month)]
    public void Rebucket_DayPartials_EqualsFeaturizingInTheCoarserBucket(BucketSize bucket)
    {
        var direct = PartialAggregates.FromTransactions(Transactions, bucket);

        var rebucketed = PartialAggregates.FromTransactions(Transactions, BucketSize.Day).Rebucket(bucket);

        Assert.Equal(direct.CustomerIds, rebucketed.CustomerIds);
        Assert.Equal(direct.BucketStarts, rebucketed.BucketStarts);
        Assert.Equal(direct.NetSpend, rebucketed.NetSpend);
        Assert.Equal(direct.Orders, rebucketed.Orders);
        Assert.Equal(direct.Returns, rebucketed.Returns);
    }

    [Fact]
    public void Rebucket_WeekPartialsToMonths_RefusesBecauseWeeksStraddleMonths()
    {
        var weeks = PartialAggregates.FromTransactions(Transactions, BucketSize.Week);

        var error = Assert.Throws<ArgumentException>(() => weeks.Rebucket(BucketSize.Month));

        Assert.Contains("Only day partials", error.Message, StringComparison.Ordinal);
    }
}
