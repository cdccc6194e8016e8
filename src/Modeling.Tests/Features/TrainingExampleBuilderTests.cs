using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Features;

public class TrainingExampleBuilderTests
{
    private static readonly DateOnly Monday = new(2024, 1, 1);

    private static Transaction Buy(string customer, int week, double amount) =>
        new(customer, Monday.AddDays(7 * week).ToDateTime(new TimeOnly(12, 0)), amount);

    /// <summary>The Sunday that ends week <paramref name="week"/>: the last day of a whole bucket.</summary>
    private static DateOnly Sunday(int week) => Monday.AddDays((7 * week) + 6);

    private static PartialAggregates Partials(params Transaction[] transactions) => PartialAggregates.FromTransactions(transactions, BucketSize.Week);

    [Fact]
    public void Cutoff_IsTheLastDayOfTheBucketHorizonBeforeTheLastWholeBucket()
    {
        Assert.Equal(new DateOnly(2024, 1, 21), TrainingExampleBuilder.Cutoff(new DateOnly(2024, 2, 18), 4, BucketSize.Week));
        Assert.Equal(new DateOnly(2024, 1, 14), TrainingExampleBuilder.Cutoff(new DateOnly(2024, 2, 14), 4, BucketSize.Week));
        Assert.Equal(new DateOnly(2024, 2, 29), TrainingExampleBuilder.Cutoff(new DateOnly(2024, 4, 30), 2, BucketSize.Month));
        Assert.Equal(new DateOnly(2024, 1, 31), TrainingExampleBuilder.Cutoff(new DateOnly(2024, 4, 2), 2, BucketSize.Month));
    }

    [Fact]
    public void Label_IsSpendAfterTheCutoffThroughAsOf()
    {
        // As-of the end of week 9, horizon 4: inputs through week 5, label covers weeks 6..9.
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 1), Buy("a", 5, 100), Buy("a", 6, 10), Buy("a", 9, 20), Buy("a", 10, 1000)), Sunday(9), 4, 16);

        Assert.Equal(30f, Assert.Single(examples.Labels));
        Assert.Equal(6, examples.Inputs.Lengths[0]);
    }

    [Fact]
    public void AsOfInsideAWeek_LabelsEndAtTheSundayBeforeItAndMatchTheBaselinesHorizon()
    {
        // A Tuesday as-of in week 9: week 9 is not whole, so no label counts the days after the as-of. Inputs end
        // with week 4, the label covers weeks 5..8, and the baselines' horizon covers those same 28 days.
        var tuesday = Monday.AddDays((7 * 9) + 1);
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 1), Buy("a", 5, 100), Buy("a", 8, 10), Buy("a", 9, 20)), tuesday, 4, 16);
        var cutoff = TrainingExampleBuilder.Cutoff(tuesday, 4, BucketSize.Week);

        Assert.Equal(110f, Assert.Single(examples.Labels));
        Assert.Equal(5, examples.Inputs.Lengths[0]);
        Assert.Equal(Sunday(4), cutoff);
        Assert.Equal(28, TrainingExampleBuilder.HorizonDays(cutoff, 4, BucketSize.Week));
        Assert.Equal(Sunday(8), TrainingExampleBuilder.WholeBucketEnd(tuesday, BucketSize.Week));
    }

    [Fact]
    public void MonthHorizon_CoversTheDaysOfTheWholeMonthsAfterTheCutoff()
    {
        Assert.Equal(31 + 29, TrainingExampleBuilder.HorizonDays(new DateOnly(2023, 12, 31), 2, BucketSize.Month));
    }

    [Fact]
    public void RollingOrigins_EndEveryLabelByTheLabelEndAndKeepOnlyIncludedCustomers()
    {
        // Origins 0 and 1 (step 2): label windows weeks 8..9 and 6..7; spend in week 10 is after the label end.
        var partials = Partials(Buy("a", 0, 1), Buy("a", 6, 5), Buy("a", 9, 20), Buy("a", 10, 1000), Buy("b", 0, 1), Buy("b", 7, 3));

        var examples = TrainingExampleBuilder.BuildRolling(partials, Sunday(9), 2, 16, originCount: 2, originStep: 2);
        var onlyA = TrainingExampleBuilder.BuildRolling(partials, Sunday(9), 2, 16, 2, 2, id => id == "a");

        Assert.Equal(["a", "b", "a", "b"], examples.Inputs.CustomerIds);
        Assert.Equal([20f, 0f, 5f, 3f], examples.Labels);
        Assert.Equal([8, 8, 6, 6], examples.Inputs.Lengths);
        Assert.Equal(["a", "a"], onlyA.Inputs.CustomerIds);
        Assert.Equal([20f, 5f], onlyA.Labels);
    }

    [Fact]
    public void RollingOrigins_EachOriginHoldsItsCustomersSequencesAsOfTheOrigin()
    {
        // Histories longer and shorter than T, customers who start after an origin, returns: every origin's block
        // must be exactly what the sequence builder gives at that origin, and its labels what Build gives there.
        var random = new Random(11);
        var transactions = new List<Transaction>();
        for (var c = 0; c < 40; c++)
        {
            var first = random.Next(0, 30);
            for (var week = first; week < 40; week++)
            {
                if (random.NextDouble() < 0.3)
                {
                    transactions.Add(Buy($"c{c:D2}", week, random.NextDouble() < 0.1 ? -15 : 1 + (50 * random.NextDouble())));
                }
            }
        }

        var partials = Partials([.. transactions]);
        const int Steps = 12, Horizon = 4, Origins = 3, Step = 5;
        var rolling = TrainingExampleBuilder.BuildRolling(partials, Sunday(39), Horizon, Steps, Origins, Step, id => id != "c03");

        var offset = 0;
        for (var j = 0; j < Origins; j++)
        {
            var labelEnd = Sunday(39 - (j * Step));
            var sequences = new SequenceBuilder(BucketSize.Week, Steps).Build(partials, TrainingExampleBuilder.Cutoff(labelEnd, Horizon, BucketSize.Week));
            var labels = TrainingExampleBuilder.Build(partials, labelEnd, Horizon, Steps).Labels;
            for (var n = 0; n < sequences.Count; n++)
            {
                if (sequences.CustomerIds[n] == "c03")
                {
                    continue;
                }

                Assert.Equal(sequences.CustomerIds[n], rolling.Inputs.CustomerIds[offset]);
                Assert.Equal(sequences.Lengths[n], rolling.Inputs.Lengths[offset]);
                Assert.Equal(sequences.Customer(n).ToArray(), rolling.Inputs.Customer(offset).ToArray());
                Assert.Equal(labels[n], rolling.Labels[offset]);
                offset++;
            }
        }

        Assert.Equal(rolling.Count, offset);
    }

    [Fact]
    public void Label_IsFlooredAtZeroWhenReturnsExceedPurchases()
    {
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 50), Buy("a", 2, -30), Buy("a", 3, 5)), Sunday(3), 2, 8);

        Assert.Equal(0f, Assert.Single(examples.Labels));
    }

    [Fact]
    public void CustomersFirstSeenAfterTheCutoff_AreLeftOut()
    {
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 1, 5), Buy("b", 2, 5), Buy("c", 3, 5)), Sunday(4), 2, 8);

        Assert.Equal(["a", "b"], examples.Inputs.CustomerIds);
        Assert.Equal([0f, 0f], examples.Labels);
    }

    [Fact]
    public void CustomerWithoutLaterPurchases_HasLabelZero()
    {
        var examples = TrainingExampleBuilder.Build(Partials(Buy("a", 0, 5), Buy("b", 0, 5), Buy("b", 3, 7)), Sunday(3), 1, 8);

        Assert.Equal([0f, 7f], examples.Labels);
    }

    [Fact]
    public void Split_IsSeededDisjointAndEightyTwenty()
    {
        var transactions = Enumerable.Range(0, 100).Select(i => Buy($"c{i:000}", 0, i + 1)).ToArray();
        var examples = TrainingExampleBuilder.Build(Partials(transactions), Sunday(1), 1, 4);

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
        var examples = TrainingExampleBuilder.Build(Partials(transactions), Sunday(2), 1, 2);

        var (_, test) = TrainingExampleBuilder.Split(examples, 0.5, seed: 1);

        for (var i = 0; i < test.Count; i++)
        {
            var source = examples.Inputs.CustomerIds.ToList().IndexOf(test.Inputs.CustomerIds[i]);
            Assert.Equal(examples.Labels[source], test.Labels[i]);
            Assert.Equal(examples.Inputs.Customer(source).ToArray(), test.Inputs.Customer(i).ToArray());
        }
    }
}
