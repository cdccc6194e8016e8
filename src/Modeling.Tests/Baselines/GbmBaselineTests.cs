using Clv.Modeling.Baselines;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Synthetic;

namespace Clv.Modeling.Tests.Baselines;

public class GbmBaselineTests
{
    private static PartialAggregates WeekPartials(int customers, int seed)
    {
        using var export = new MemoryStream();
        SyntheticExportGenerator.Write(export, new SyntheticExportOptions { Customers = customers, Seed = seed, Weeks = 60 }, TestContext.Current.CancellationToken);
        export.Position = 0;
        return ExportFeaturizer.Featurize(export, "synthetic.csv", ExportReaderOptions.Default, BucketSize.Day, rejected: null, TestContext.Current.CancellationToken).Partials.Rebucket(BucketSize.Week);
    }

    [Fact]
    public void Gbm_TrainedOnOneShopsExamples_RanksHeldOutCustomersByTheirFutureSpend()
    {
        var partials = WeekPartials(1500, 7);
        var labelEnd = ModelBuilderDates.LastSunday(partials);
        var examples = TrainingExampleBuilder.Build(partials, labelEnd, 13, 26);
        var (train, test) = TrainingExampleBuilder.Split(examples, 0.3, 1);

        using var gbm = GbmBaseline.Train(train, seed: 1, threadCount: 1);
        var predicted = gbm.Predict(test.Inputs);

        Assert.Equal(test.Count, predicted.Length);
        Assert.All(predicted, p => Assert.True(double.IsFinite(p) && p >= 0, $"prediction {p}"));
        var actual = Array.ConvertAll(test.Labels, l => (double)l);
        var gini = ClvMetrics.NormalizedGini(actual, predicted).Value;
        Assert.True(gini > 0.3, $"gbm Gini on held-out customers {gini:F4}");
    }

    [Fact]
    public void Gbm_TrainedTwiceWithTheSameSeedAndThreads_PredictsTheSameSpend()
    {
        var partials = WeekPartials(800, 11);
        var examples = TrainingExampleBuilder.Build(partials, ModelBuilderDates.LastSunday(partials), 13, 26);
        var (train, test) = TrainingExampleBuilder.Split(examples, 0.3, 2);

        using var first = GbmBaseline.Train(train, seed: 5, threadCount: 2);
        using var second = GbmBaseline.Train(train, seed: 5, threadCount: 2);

        Assert.Equal(first.Predict(test.Inputs), second.Predict(test.Inputs));
    }

    [Fact]
    public void Gbm_WhereEveryLabelIsAlike_PredictsThatLabel()
    {
        var partials = WeekPartials(200, 4);
        var examples = TrainingExampleBuilder.Build(partials, ModelBuilderDates.LastSunday(partials), 13, 26);
        var alike = examples with { Labels = Array.ConvertAll(examples.Labels, _ => 12.5f) };

        using var gbm = GbmBaseline.Train(alike, seed: 1, threadCount: 1);

        Assert.All(gbm.Predict(examples.Inputs), p => Assert.Equal(12.5, p));
    }

    [Fact]
    public void Gbm_WithTooFewExamples_SaysHowManyItNeeds()
    {
        var partials = WeekPartials(30, 3);
        var examples = TrainingExampleBuilder.Build(partials, ModelBuilderDates.LastSunday(partials), 13, 26);
        var few = TrainingExampleBuilder.Subset(examples, [0, 1, 2]);

        var error = Assert.Throws<ArgumentException>(() => GbmBaseline.Train(few, 1, 1));
        Assert.Contains("at least 10 examples", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Dates shared by the workflow tests.</summary>
internal static class ModelBuilderDates
{
    /// <summary>The last Sunday on or before the last day of <paramref name="partials"/>.</summary>
    public static DateOnly LastSunday(PartialAggregates partials)
    {
        var last = partials.BucketStarts.Max().AddDays(6);
        return TrainingExampleBuilder.WholeBucketEnd(last, BucketSize.Week);
    }
}
