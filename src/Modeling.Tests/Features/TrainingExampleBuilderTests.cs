using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

public class TrainingExampleBuilderTests
{
    private static readonly DateOnly Monday = new(2024, 1, 1);

    private static Transaction Buy(string customer, int week, double amount) =>
        new(customer, Monday.AddDays(7 * week).ToDateTime(new TimeOnly(12, 0)), amount);

    private static PartialAggregates Partials(params Transaction[] transactions) => PartialAggregates.FromTransactions(transactions, BucketSize.Week);

    [Fact]
    public void Cutoff_IsTheLastDayOfTheBucketHorizonBeforeAsOf()
    {
        Assert.Equal(new DateOnly(2024, 1, 21), TrainingExampleBuilder.Cutoff(new DateOnly(2024, 2, 14), 4, BucketSize.Week));
        Assert.Equal(new DateOnly(2024, 2, 29), TrainingExampleBuilder.Cutoff(new DateOnly(2024, 4, 2), 2, BucketSize.Month));
    }

    [Fact]
    public void Label_IsSpendAfterTheCutoffThroughAsOf()
    {
        // As-of week 9, horizon 4: inputs through week 5, label covers weeks 6..9.
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 1), Buy("a", 5, 100), Buy("a", 6, 10), Buy("a", 9, 20), Buy("a", 10, 1000)), Monday.AddDays(7 * 9), 4, 16);

        Assert.Equal(30f, Assert.Single(examples.Labels));
        Assert.Equal(6, examples.Inputs.Lengths[0]);
    }

    [Fact]
    public void Label_IsFlooredAtZeroWhenReturnsExceedPurchases()
    {
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 50), Buy("a", 2, -30), Buy("a", 3, 5)), Monday.AddDays(7 * 3), 2, 8);

        Assert.Equal(0f, Assert.Single(examples.Labels));
    }

    [Fact]
    public void CustomersFirstSeenAfterTheCutoff_AreLeftOut()
    {
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 1, 5), Buy("b", 2, 5), Buy("c", 3, 5)), Monday.AddDays(7 * 4), 2, 8);

        Assert.Equal(["a", "b"], examples.Inputs.CustomerIds);
        Assert.Equal([0f, 0f], examples.Labels);
    }

    [Fact]
    public void CustomerWithoutLaterPurchases_HasLabelZero()
    {
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 5), Buy("b", 0, 5), Buy("b", 3, 7)), Monday.AddDays(7 * 3), 1, 8);

        Assert.Equal([0f, 7f], examples.Labels);
    }

    [Fact]
    public void Split_IsSeededDisjointAndEightyTwenty()
    {
        var transactions = Enumerable.Range(0, 100).Select(i => Buy($"c{i:000}", 0, i + 1)).ToArray();
        var examples = TrainingExampleBuilder.Build(Partials(transactions), Monday.AddDays(7), 1, 4);

        var (train, test) = TrainingExampleBuilder.Split(examples, 0.2, seed: 7);
        var (train2, test2) = TrainingExampleBuilder.Split(examples, 0.2, seed: 7);
        var (_, otherTest) = TrainingExampleBuilder.Split(examples, 0.2, seed: 8);

        Assert.Equal(80, train.Count);
        Assert.Equal(20, test.Count);
        Assert.Empty(train.Inputs.CustomerIds.Intersect(test.Inputs.CustomerIds));
        Assert.Equal(test.Inputs.CustomerIds, test2.Inputs.CustomerIds);
        Assert.Equal(train.Inputs.Features, train2.Inputs.Features);
        Assert.NotEqual(test.Inputs.CustomerIds, otherTest.Inputs.CustomerIds);
    }

    [Fact]
    public void Split_KeepsEachCustomersFeaturesAndLabelTogether()
    {
        var transactions = Enumerable.Range(0, 10).Select(i => Buy($"c{i}", 0, i + 1)).Concat(Enumerable.Range(0, 10).Select(i => Buy($"c{i}", 2, 10 * (i + 1)))).ToArray();
        var examples = TrainingExampleBuilder.Build(Partials(transactions), Monday.AddDays(14), 1, 2);

        var (_, test) = TrainingExampleBuilder.Split(examples, 0.5, seed: 1);

        for (var i = 0; i < test.Count; i++)
        {
            var source = examples.Inputs.CustomerIds.ToList().IndexOf(test.Inputs.CustomerIds[i]);
            Assert.Equal(examples.Labels[source], test.Labels[i]);
            Assert.Equal(examples.Inputs.Customer(source).ToArray(), test.Inputs.Customer(i).ToArray());
        }
    }
}
