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
        Cutoffs = 2,
        Origins = 2,
        BootstrapSamples = 50,
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

        Assert.Equal([ModelNames.Lstm, ModelNames.Gbm, ModelNames.BgNbd, ModelNames.Naive], result.Report.Comparison.Names);
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
    public void SpendPlantedAfterTheAsOfDay_ChangesNeitherTheModelNorItsReport()
    {
        // Built at C = 2023-12-31 (the data runs to 2024-02-25): a purchase after C, of any size, by old and new customers, reaches no label,
        // no input, no baseline fit and no metric.
        var partials = DayPartials(300, 5);
        var asOf = new DateOnly(2023, 12, 31);
        Assert.True(partials.BucketStarts.Max() > asOf, "the data must run past C");
        var clean = Filter(partials, asOf);
        var planted = PartialAggregates.Merge([partials, PartialAggregates.FromTransactions(
            [
                new Transaction(clean.CustomerIds[0], new DateTime(2024, 1, 1), 50_000, "late-1"),
                new Transaction(clean.CustomerIds[^1], new DateTime(2024, 3, 9), 9_000, "late-2"),
                new Transaction("newcomer", new DateTime(2024, 1, 2), 700, "late-3"),
            ],
            BucketSize.Day)]);
        var options = SmallModel with { AsOf = asOf };

        var before = ModelBuilder.Build(clean, options, cancellationToken: TestContext.Current.CancellationToken);
        var after = ModelBuilder.Build(planted, options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(before.Model.Weights.Buffer, after.Model.Weights.Buffer);
        Assert.Equal(before.Model.Metadata.MetricsJson, after.Model.Metadata.MetricsJson);
        Assert.Equal(before.Report.Markdown, after.Report.Markdown);
        Assert.Equal(before.Decision, after.Decision);
        Assert.Equal(before.Onnx, after.Onnx);
    }

    [Fact]
    public void Backtest_ReportsEveryCutoffPooledModelsCoverageAndIntervalsInTheDocumentedShape()
    {
        var options = SmallModel with { Cutoffs = 3, CutoffStep = 2, AsOf = new DateOnly(2024, 2, 25) };

        var backtest = ModelBuilder.Backtest(DayPartials(400, 6), options, cancellationToken: TestContext.Current.CancellationToken);

        using var json = System.Text.Json.JsonDocument.Parse(backtest.ToJson());
        var root = json.RootElement;
        Assert.Equal("out-of-time", root.GetProperty("protocol").GetString());
        var cutoffs = root.GetProperty("cutoffs").EnumerateArray().Select(c => DateOnly.Parse(c.GetProperty("cutoff").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([new DateOnly(2023, 10, 29), new DateOnly(2023, 11, 12), new DateOnly(2023, 11, 26)], cutoffs);
        var models = root.GetProperty("models");
        Assert.Equal(["lstm", "gbm", "bgnbd", "naive"], models.EnumerateObject().Select(m => m.Name));
        foreach (var metric in new[] { "gini", "spearman", "decileMape", "mae", "rmse", "bias", "topDecileCapture" })
        {
            Assert.All(models.EnumerateObject(), m => Assert.Equal(System.Text.Json.JsonValueKind.Number, m.Value.GetProperty(metric).ValueKind));
        }

        Assert.InRange(models.GetProperty("lstm").GetProperty("coverage80").GetDouble(), 0, 1);
        Assert.InRange(models.GetProperty("lstm").GetProperty("coverage80Expected").GetDouble(), 0.8, 1);
        Assert.True(models.GetProperty("lstm").TryGetProperty("auc", out _));
        foreach (var metric in new[] { "gini", "spearman", "decileMape" })
        {
            var difference = root.GetProperty("differences").GetProperty(metric);
            Assert.Contains(difference.GetProperty("versus").GetString(), BacktestResult.Baselines);
            var interval = difference.GetProperty("ci95").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(interval[0] <= interval[1], $"{metric} interval [{interval[0]}, {interval[1]}]");
        }

        // Every fold trained on labels that end by its cutoff, and the held-out rows are the same customers for every model.
        Assert.All(backtest.Folds, f => Assert.Equal(f.Cutoff.AddDays(13 * 7), f.LabelEnd));
        Assert.Equal(backtest.PooledScores[0].CustomerIds.Count, backtest.Folds.Sum(f => f.Scores[0].CustomerIds.Count));
    }

    [Fact]
    public void Backtest_WithMoreSeeds_RepeatsEveryCutoffWithOtherSplitsAndWeights()
    {
        var options = SmallModel with { Cutoffs = 1, Seeds = 2, AsOf = new DateOnly(2024, 2, 25) };

        var backtest = ModelBuilder.Backtest(DayPartials(300, 8), options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([0, 1], backtest.Folds.Select(f => f.SeedIndex));
        Assert.NotEqual(backtest.Folds[0].Scores[0].CustomerIds, backtest.Folds[1].Scores[0].CustomerIds);
        Assert.Single(backtest.Cutoffs);
    }

    private static PartialAggregates Filter(PartialAggregates partials, DateOnly last)
    {
        var rows = Enumerable.Range(0, partials.Count).Where(i => partials.BucketStarts[i] <= last).ToArray();
        return new PartialAggregates(
            partials.Bucket,
            [.. rows.Select(i => partials.CustomerIds[i])],
            [.. rows.Select(i => partials.BucketStarts[i])],
            [.. rows.Select(i => partials.NetSpend[i])],
            [.. rows.Select(i => partials.Orders[i])],
            [.. rows.Select(i => partials.Items[i])],
            [.. rows.Select(i => partials.Returns[i])]);
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
