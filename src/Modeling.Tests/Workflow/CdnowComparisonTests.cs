using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Workflow;

namespace Clv.Modeling.Tests.Workflow;

public class CdnowComparisonTests
{
    [Fact]
    public void OnCdnowMaster_TheLstmIsAtLeastAsGoodAsBgNbdOnGiniAndSpearmanAndBetterOnDecileMape()
    {
        // Weekly buckets, the 39-week holdout to 1998-06-30, seed 42: the README's comparison table.
        var path = ReferenceData.CdnowFile("CDNOW_master.txt");
        using var stream = File.OpenRead(path);
        var partials = ExportFeaturizer.Featurize(stream, "CDNOW_master.txt", ExportReaderOptions.Default, BucketSize.Day, null, TestContext.Current.CancellationToken).Partials;
        var options = new ModelBuildOptions
        {
            AsOf = new DateOnly(1998, 6, 30),
            HorizonBuckets = 39,
            SequenceLength = 39,
            Trainer = new TrainerOptions { ThreadCount = 2 },
        };

        var result = ModelBuilder.Build(partials, options, cancellationToken: TestContext.Current.CancellationToken);

        var lstm = result.Report.Comparison[ModelNames.Lstm];
        var bgnbd = result.Report.Comparison[ModelNames.BgNbd];
        Assert.True(lstm.Gini.Value >= bgnbd.Gini.Value, $"Gini: LSTM {lstm.Gini.Value:F4}, BG/NBD {bgnbd.Gini.Value:F4}");
        Assert.True(lstm.Spearman.Value >= bgnbd.Spearman.Value, $"Spearman: LSTM {lstm.Spearman.Value:F4}, BG/NBD {bgnbd.Spearman.Value:F4}");
        Assert.True(lstm.DecileMape.Value < bgnbd.DecileMape.Value, $"Decile MAPE: LSTM {lstm.DecileMape.Value:F4}, BG/NBD {bgnbd.DecileMape.Value:F4}");
        Assert.True(result.Decision.IsChampion, result.Decision.Reason);
    }
}
