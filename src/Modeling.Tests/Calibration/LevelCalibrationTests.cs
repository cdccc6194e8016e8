using Clv.Modeling.Calibration;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Synthetic;
using Clv.Modeling.Tests.Baselines;

namespace Clv.Modeling.Tests.Calibration;

public class LevelCalibrationTests
{
    private static TrainingExamples LatestOrigin()
    {
        using var export = new MemoryStream();
        SyntheticExportGenerator.Write(export, new SyntheticExportOptions { Customers = 600, Seed = 11, Weeks = 60 }, TestContext.Current.CancellationToken);
        export.Position = 0;
        var partials = ExportFeaturizer.Featurize(export, "synthetic.csv", ExportReaderOptions.Default, BucketSize.Day, rejected: null, TestContext.Current.CancellationToken)
            .Partials.Rebucket(BucketSize.Week);
        return TrainingExampleBuilder.BuildRolling(partials, ModelBuilderDates.LastSunday(partials), 13, 26, 1, 4);
    }

    private static ClvModel Trained(TrainingExamples examples) =>
        new LstmTrainer(new TrainerOptions { HiddenSize = 8, Epochs = 2, ThreadCount = 1 })
            .Train(examples, new ModelMetadata("level-1", SequenceBuilder.FeatureNames, BucketSize.Week, 26, 13, new DateOnly(2024, 1, 1)), null, TestContext.Current.CancellationToken)
            .Model;

    private static double[] Expected(ClvModel model, SequenceSet inputs)
    {
        var (p, mu, sigma) = model.PredictDistribution(inputs);
        return [.. p.Select((pi, i) => pi * Math.Exp(mu[i] + (sigma[i] * sigma[i] / 2)))];
    }

    [Fact]
    public void ToLatestOrigin_MakesTotalExpectedSpendEqualTheLatestWindowsActualSpend()
    {
        var latest = LatestOrigin();
        var model = Trained(latest);
        var before = Expected(model, latest.Inputs).Sum();
        var actual = latest.Labels.Sum(l => (double)l);

        var (calibrated, factor) = LevelCalibration.ToLatestOrigin(model, latest, 1);

        Assert.Equal(actual / before, factor, 1e-9);
        Assert.Equal(actual, Expected(calibrated, latest.Inputs).Sum(), actual * 1e-4);
    }

    [Fact]
    public void ToLatestOrigin_LeavesPurchaseProbabilityAndEveryRankingAsTheyWere()
    {
        var latest = LatestOrigin();
        var model = Trained(latest);

        var (calibrated, factor) = LevelCalibration.ToLatestOrigin(model, latest, 1);

        Assert.NotEqual(1, factor);
        var (pBefore, _, sigmaBefore) = model.PredictDistribution(latest.Inputs);
        var (pAfter, _, sigmaAfter) = calibrated.PredictDistribution(latest.Inputs);
        Assert.Equal(pBefore, pAfter);
        Assert.Equal(sigmaBefore, sigmaAfter);
        var before = Expected(model, latest.Inputs);
        var after = Expected(calibrated, latest.Inputs);
        Assert.Equal(
            Enumerable.Range(0, before.Length).OrderBy(i => before[i]).ThenBy(i => i),
            Enumerable.Range(0, after.Length).OrderBy(i => after[i]).ThenBy(i => i));
        Assert.All(Enumerable.Range(0, before.Length), i => Assert.Equal(before[i] * factor, after[i], Math.Max(1e-6, before[i] * factor * 1e-4)));
        Assert.Equal(model.Weights.Buffer.Length, calibrated.Weights.Buffer.Length);
    }

    [Fact]
    public void ToLatestOrigin_WithoutSpendInTheWindow_LeavesTheModelAlone()
    {
        var latest = LatestOrigin();
        var model = Trained(latest);
        var silent = latest with { Labels = new float[latest.Count] };

        var (calibrated, factor) = LevelCalibration.ToLatestOrigin(model, silent, 1);

        Assert.Same(model, calibrated);
        Assert.Equal(1, factor);
    }
}
