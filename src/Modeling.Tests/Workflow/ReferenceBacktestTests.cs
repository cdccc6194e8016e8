using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Workflow;

namespace Clv.Modeling.Tests.Workflow;

/// <summary>
/// The out-of-time backtest on the two real datasets, kept small (one cutoff, two origins, a few epochs): the protocol
/// and sanity. The full figures (three cutoffs, three seeds) come from the command in the README.
/// </summary>
public class ReferenceBacktestTests
{
    [Fact]
    public void OnCdnow_OneCutoffAtTheIssuesDate_EveryModelIsScoredOnSpendNoModelSaw()
    {
        var path = ReferenceData.CdnowFile("CDNOW_master.txt");
        var partials = Featurize(path, ExportReaderOptions.Default);
        var options = Small with { AsOf = new DateOnly(1998, 6, 28), HorizonBuckets = 26, SequenceLength = 39 };

        var backtest = ModelBuilder.Backtest(partials, options, cancellationToken: TestContext.Current.CancellationToken);

        AssertSane(backtest, new DateOnly(1997, 12, 28), new DateOnly(1998, 6, 28));
    }

    [Fact]
    public void OnCompleteJourney_OneCutoff_EveryModelIsScoredOnSpendNoModelSaw()
    {
        var path = ReferenceData.CompleteJourneyFile("completejourney_transactions_sample_100k.csv");
        var reader = ExportReaderOptions.Default with
        {
            CustomerIdColumn = "household_id",
            OrderIdColumn = "basket_id",
            TimestampColumn = "transaction_timestamp",
            AmountColumn = "sales_value",
        };
        var partials = Featurize(path, reader);
        var options = Small with { AsOf = new DateOnly(2017, 12, 31), HorizonBuckets = 13, SequenceLength = 26 };

        var backtest = ModelBuilder.Backtest(partials, options, cancellationToken: TestContext.Current.CancellationToken);

        AssertSane(backtest, new DateOnly(2017, 10, 1), new DateOnly(2017, 12, 31));
    }

    private static readonly ModelBuildOptions Small = new()
    {
        Cutoffs = 1,
        Origins = 2,
        BootstrapSamples = 50,
        Version = "reference",
        Trainer = new TrainerOptions { HiddenSize = 16, Epochs = 3, ThreadCount = 2 },
    };

    private static PartialAggregates Featurize(string path, ExportReaderOptions reader)
    {
        using var stream = File.OpenRead(path);
        return ExportFeaturizer.Featurize(stream, Path.GetFileName(path), reader, BucketSize.Day, null, TestContext.Current.CancellationToken).Partials;
    }

    private static void AssertSane(BacktestResult backtest, DateOnly cutoff, DateOnly labelEnd)
    {
        var fold = Assert.Single(backtest.Folds);
        Assert.Equal(cutoff, fold.Cutoff);
        Assert.Equal(labelEnd, fold.LabelEnd);
        Assert.Equal([ModelNames.Lstm, ModelNames.Gbm, ModelNames.BgNbd, ModelNames.Naive], backtest.Pooled.Names);

        // Every model ranks customers far better than chance on spend after the cutoff; the LSTM's interval holds some actuals.
        foreach (var (name, metrics) in backtest.Pooled.Models)
        {
            Assert.True(metrics.Gini.Value > 0.5, $"{name} Gini {metrics.Gini.Value:F4}");
        }

        Assert.InRange(backtest.Coverage80, 0.3, 1);
        Assert.All(backtest.Differences, d => Assert.True(d.Low <= d.Mean && d.Mean <= d.High, $"{d.Metric}: {d.Mean:F4} outside [{d.Low:F4}, {d.High:F4}]"));
    }
}
