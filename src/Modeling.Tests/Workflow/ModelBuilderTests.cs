using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Onnx;
using Clv.Modeling.Scoring;
using Clv.Modeling.Synthetic;
using Clv.Modeling.Workflow;

namespace Clv.Modeling.Tests.Workflow;

public class ModelBuilderTests
{
    private static readonly ModelBuildOptions SmallModel = new()
    {
        SequenceLength = 26,
        HorizonBuckets = 13,
        Version = "test-1",
        Trainer = new TrainerOptions { HiddenSize = 8, Epochs = 3, ThreadCount = 1 },
    };

    private static PartialAggregates DayPartials(int customers, int seed)
    {
        using var export = new MemoryStream();
        SyntheticExportGenerator.Write(export, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = customers, Seed = seed, Weeks = 60 }, TestContext.Current.CancellationToken);
        export.Position = 0;
        return ExportFeaturizer.Featurize(export, "synthetic.csv", ExportReaderOptions.Default, BucketSize.Day, rejected: null, TestContext.Current.CancellationToken).Partials;
    }

    [Fact]
    public void Build_ScoresTheLstmAndBothBaselinesOnTheSameHeldOutCustomers()
    {
        var result = ModelBuilder.Build(DayPartials(400, 1), SmallModel, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([ModelNames.Lstm, ModelNames.BgNbd, ModelNames.Naive], result.Report.Comparison.Names);
        Assert.InRange(result.TestCustomers, (int)(0.15 * (result.TrainCustomers + result.TestCustomers)), (int)(0.25 * (result.TrainCustomers + result.TestCustomers)));
        Assert.False(string.IsNullOrWhiteSpace(result.Decision.Reason));
    }

    [Fact]
    public void Build_WritesTheEvaluationIntoTheOnnxMetadata()
    {
        var result = ModelBuilder.Build(DayPartials(300, 2), SmallModel, cancellationToken: TestContext.Current.CancellationToken);

        var info = OnnxModelInfo.Read(result.Onnx, "model.onnx");

        Assert.Equal("test-1", info.Metadata.Version);
        Assert.Equal(26, info.Metadata.SequenceLength);
        Assert.Contains("\"bgnbd\"", info.Metadata.MetricsJson, StringComparison.Ordinal);
        Assert.Equal(result.Model.Metadata.AsOf, info.Metadata.AsOf);
    }

    [Fact]
    public void Build_WithItselfAsChampion_StaysACandidateBecauseItDoesNotBeatIt()
    {
        var partials = DayPartials(300, 3);
        var first = ModelBuilder.Build(partials, SmallModel, cancellationToken: TestContext.Current.CancellationToken);
        using var champion = ClvScorer.Load(first.Onnx, "champion.onnx", new FeaturizerSignature(SequenceBuilder.FeatureNames, BucketSize.Week, 26));

        var second = ModelBuilder.Build(partials, SmallModel, champion, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains(ModelBuilder.ChampionName, second.Report.Comparison.Names);
        Assert.False(second.Decision.IsChampion);
    }

    [Fact]
    public void Build_WithTooLittleHistoryForTheHorizon_SaysHowManyCustomersQualify()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelBuilder.Build(DayPartials(50, 4), SmallModel with { HorizonBuckets = 200 }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("bought on or before the cutoff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenBgNbdCannotBeFitted_StillEvaluatesAndKeepsTheModelACandidateWithTheReason()
    {
        // Nobody buys twice: BG/NBD's parameters are not determined by such data.
        var transactions = Enumerable.Range(0, 60).Select(i => new Transaction($"c{i:D3}", new DateTime(2024, 1, 1).AddDays(i * 3), 10 + i, $"o{i}"));
        var partials = PartialAggregates.FromTransactions(transactions, BucketSize.Day);

        var result = ModelBuilder.Build(partials, SmallModel with { HorizonBuckets = 4, AsOf = new DateOnly(2024, 7, 1) }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.DoesNotContain(ModelNames.BgNbd, result.Report.Comparison.Names);
        Assert.Contains(ModelNames.Naive, result.Report.Comparison.Names);
        Assert.False(result.Decision.IsChampion);
        Assert.Contains("bgnbd baseline could not be fitted", result.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CalibrationTransactions_AreOnePerPurchaseDayUpToTheCutoff()
    {
        Transaction[] transactions =
        [
            new("a", new DateTime(2024, 1, 1, 9, 0, 0), 10, "o1"),
            new("a", new DateTime(2024, 1, 1, 17, 0, 0), 5, "o2"),
            new("a", new DateTime(2024, 1, 8), 7, "o3"),
            new("b", new DateTime(2024, 1, 20), 3, "o4"),
        ];
        var partials = PartialAggregates.FromTransactions(transactions, BucketSize.Day);

        var calibration = ModelBuilder.CalibrationTransactions(partials, new DateOnly(2024, 1, 10));

        Assert.Equal(2, calibration.Count);
        Assert.Equal(15, calibration[0].Amount);
        Assert.All(calibration, t => Assert.Equal("a", t.CustomerId));
    }
}
