using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

public class SequenceBuilderTests
{
    private const float FeatureTolerance = 1e-6f;

    private static readonly DateOnly Monday = new(2024, 1, 1);

    private static Transaction Buy(string customer, int day, double amount, string? order = null) =>
        new(customer, Monday.AddDays(day).ToDateTime(TimeOnly.MinValue), amount, order, 1);

    private static float Feature(SequenceSet set, int customer, int step, string name) =>
        set.Customer(customer)[(step * set.FeatureCount) + SequenceBuilder.FeatureNames.ToList().IndexOf(name)];

    [Fact]
    public void FirstPurchaseInTheAsOfBucket_GivesLengthOne()
    {
        var partials = PartialAggregates.FromTransactions([Buy("a", 3, 20)], BucketSize.Week);

        var set = new SequenceBuilder(BucketSize.Week, 4).Build(partials, Monday.AddDays(6));

        Assert.Equal(1, Assert.Single(set.Lengths));
        Assert.Equal(MathF.Log(21), Feature(set, 0, 0, "log1p_net_spend"), FeatureTolerance);
        Assert.Equal(1, Feature(set, 0, 0, "has_purchase"));
        Assert.All(set.Customer(0)[set.FeatureCount..].ToArray(), value => Assert.Equal(0, value));
    }

    [Fact]
    public void FeaturesOfASetNoLongerUsed_AreFilledAgainWhenTheSizeFits_AsIfNew()
    {
        var builder = new SequenceBuilder(BucketSize.Week, 5);
        var first = PartialAggregates.FromTransactions([Buy("a", 0, 10), Buy("a", 14, 5), Buy("b", 7, 3)], BucketSize.Week);
        var second = PartialAggregates.FromTransactions([Buy("c", 28, 40), Buy("d", 0, 1), Buy("d", 21, 2)], BucketSize.Week);
        var used = builder.Build(first, Monday.AddDays(29)).Features;

        var refilled = builder.Build(second, Monday.AddDays(29), reuse: used);
        var fresh = builder.Build(second, Monday.AddDays(29));
        var otherSize = builder.Build(PartialAggregates.FromTransactions([Buy("e", 0, 1)], BucketSize.Week), Monday.AddDays(29), reuse: used);

        Assert.Same(used, refilled.Features);
        Assert.Equal(fresh.Features, refilled.Features);
        Assert.Equal(fresh.Lengths, refilled.Lengths);
        Assert.NotSame(used, otherSize.Features);
        Assert.Equal(builder.Build(PartialAggregates.FromTransactions([Buy("e", 0, 1)], BucketSize.Week), Monday.AddDays(29)).Features, otherSize.Features);
    }

    [Fact]
    public void ShortHistory_IsRightPaddedWithItsLength()
    {
        var partials = PartialAggregates.FromTransactions([Buy("a", 0, 10), Buy("a", 14, 5)], BucketSize.Week);

        var set = new SequenceBuilder(BucketSize.Week, 5).Build(partials, Monday.AddDays(15));

        Assert.Equal(3, set.Lengths[0]);
        Assert.Equal([1f, 0f, 1f], [Feature(set, 0, 0, "has_purchase"), Feature(set, 0, 1, "has_purchase"), Feature(set, 0, 2, "has_purchase")]);
        Assert.Equal([0f, 1f, 0f], [Feature(set, 0, 0, "steps_since_purchase"), Feature(set, 0, 1, "steps_since_purchase"), Feature(set, 0, 2, "steps_since_purchase")]);
        Assert.Equal(MathF.Log(1 + (15f / 3)), Feature(set, 0, 2, "log1p_spend_rate"), FeatureTolerance);
        Assert.Equal(2f / 3, Feature(set, 0, 2, "order_rate"), FeatureTolerance);
        Assert.All(set.Customer(0)[(3 * set.FeatureCount)..].ToArray(), value => Assert.Equal(0, value));
    }

    [Fact]
    public void LongHistory_KeepsTheLastStepsAndCountsTenureFromTheFirst()
    {
        var partials = PartialAggregates.FromTransactions([Buy("a", 0, 10), Buy("a", 7 * 9, 5)], BucketSize.Week);

        var set = new SequenceBuilder(BucketSize.Week, 3).Build(partials, Monday.AddDays(7 * 9));

        Assert.Equal(3, set.Lengths[0]);
        Assert.Equal(MathF.Log(8), Feature(set, 0, 0, "log1p_tenure_steps"), FeatureTolerance);
        Assert.Equal(MathF.Log(10), Feature(set, 0, 2, "log1p_tenure_steps"), FeatureTolerance);
        Assert.Equal(8, Feature(set, 0, 1, "steps_since_purchase"));
        Assert.Equal(0, Feature(set, 0, 2, "steps_since_purchase"));
        Assert.Equal(MathF.Log(1 + (15f / 10)), Feature(set, 0, 2, "log1p_spend_rate"), FeatureTolerance);
    }

    [Fact]
    public void CustomersAfterTheAsOfDate_AreLeftOutAndLaterRowsIgnored()
    {
        var partials = PartialAggregates.FromTransactions([Buy("a", 0, 10), Buy("a", 30, 99), Buy("b", 30, 5)], BucketSize.Week);

        var set = new SequenceBuilder(BucketSize.Week, 8).Build(partials, Monday.AddDays(7));

        Assert.Equal(["a"], set.CustomerIds);
        Assert.Equal(2, set.Lengths[0]);
        Assert.Equal(MathF.Log(1 + (10f / 2)), Feature(set, 0, 1, "log1p_spend_rate"), FeatureTolerance);
    }

    [Fact]
    public void Returns_GiveNegativeSignedLogSpend()
    {
        var partials = PartialAggregates.FromTransactions([Buy("a", 0, 10), Buy("a", 8, -4)], BucketSize.Week);

        var set = new SequenceBuilder(BucketSize.Week, 2).Build(partials, Monday.AddDays(8));

        Assert.Equal(-MathF.Log(5), Feature(set, 0, 1, "log1p_net_spend"), FeatureTolerance);
        Assert.Equal(1, Feature(set, 0, 1, "returns"));
        Assert.Equal(0, Feature(set, 0, 1, "has_purchase"));
    }

    [Fact]
    public void BuildOne_EqualsTheBatchSequenceOfThatCustomer()
    {
        Transaction[] history = [Buy("a", 0, 10, "o1"), Buy("a", 0, 3, "o1"), Buy("a", 16, 7, "o2"), Buy("a", 20, -2, "r1")];
        var batch = new SequenceBuilder(BucketSize.Week, 6).Build(PartialAggregates.FromTransactions(history.Append(Buy("b", 1, 1)), BucketSize.Week), Monday.AddDays(27));

        var one = new SequenceBuilder(BucketSize.Week, 6).BuildOne("a", history.Select(t => t with { CustomerId = "request" }), Monday.AddDays(27));

        Assert.Equal(batch.Customer(0).ToArray(), one.Customer(0).ToArray());
        Assert.Equal(batch.Lengths[0], one.Lengths[0]);
        Assert.Equal("a", one.CustomerIds[0]);
    }

    [Fact]
    public void BuildOne_WithoutHistoryBeforeAsOf_Throws()
    {
        var builder = new SequenceBuilder(BucketSize.Week, 4);

        var error = Assert.Throws<ArgumentException>(() => builder.BuildOne("a", [Buy("a", 30, 1)], Monday));

        Assert.StartsWith("Customer 'a' has no transaction on or before 2024-01-01.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureNames_AreNineAndMatchTheSetsThatAreBuilt()
    {
        var set = new SequenceBuilder(BucketSize.Day, 2).Build(PartialAggregates.FromTransactions([Buy("a", 0, 1)], BucketSize.Day), Monday);

        Assert.Equal(9, SequenceBuilder.FeatureNames.Count);
        Assert.Equal(SequenceBuilder.FeatureNames, set.FeatureNames);
    }
}
