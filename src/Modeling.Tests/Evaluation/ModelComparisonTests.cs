using System.Text.Json;
using Clv.Modeling.Baselines;
using Clv.Modeling.Evaluation;

namespace Clv.Modeling.Tests.Evaluation;

public class ModelComparisonTests
{
    private const double Tolerance = 1e-12;

    private static readonly string[] Customers = ["c1", "c2", "c3", "c4"];
    private static readonly double[] Actual = [0, 10, 0, 30];

    private static ModelComparison ThreeModels() => ModelComparison.Evaluate(
    [
        new ModelScores(ModelNames.Lstm, Customers, Actual, [1, 12, 2, 25], [0.2, 0.9, 0.3, 0.8]),
        new ModelScores(ModelNames.BgNbd, Customers, Actual, [3, 8, 1, 20]),
        new ModelScores(ModelNames.Naive, Customers, Actual, [5, 5, 5, 5]),
    ]);

    [Fact]
    public void ToJson_IsAnObjectKeyedByModelWithTheMetricNames()
    {
        using var json = JsonDocument.Parse(ThreeModels().ToJson());

        Assert.Equal([ModelNames.Lstm, ModelNames.BgNbd, ModelNames.Naive], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["gini", "spearman", "decileMape", "mae", "rmse", "bias", "topDecileCapture", "auc"],
            json.RootElement.GetProperty(ModelNames.Lstm).EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void ToJson_LeavesOutAucForModelsWithoutAPurchaseProbability()
    {
        using var json = JsonDocument.Parse(ThreeModels().ToJson());

        Assert.False(json.RootElement.GetProperty(ModelNames.BgNbd).TryGetProperty("auc", out _));
    }

    [Fact]
    public void ToJson_WritesTheComputedValues()
    {
        var comparison = ThreeModels();

        using var json = JsonDocument.Parse(comparison.ToJson());

        var lstm = json.RootElement.GetProperty(ModelNames.Lstm);
        Assert.Equal(comparison[ModelNames.Lstm].Gini.Value!.Value, lstm.GetProperty("gini").GetDouble(), Tolerance);
        Assert.Equal(1.0, lstm.GetProperty("auc").GetDouble(), Tolerance);
    }

    [Fact]
    public void ToJson_WritesAnUndefinedMetricAsNull()
    {
        // Constant predictions have no Spearman correlation.
        using var json = JsonDocument.Parse(ThreeModels().ToJson());

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty(ModelNames.Naive).GetProperty("spearman").ValueKind);
    }

    [Fact]
    public void Evaluate_OnDifferentCustomers_ThrowsNamingTheFirstDifference()
    {
        ModelScores[] scores =
        [
            new(ModelNames.Lstm, Customers, Actual, [1, 2, 3, 4]),
            new(ModelNames.BgNbd, ["c1", "c2", "c9", "c4"], Actual, [1, 2, 3, 4]),
        ];

        var error = Assert.Throws<ArgumentException>(() => ModelComparison.Evaluate(scores));

        Assert.Contains("'c9'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdownTable_HasARowPerModelWithFormattedValues()
    {
        var comparison = ThreeModels();

        var table = comparison.ToMarkdownTable();

        var bgnbdRow = Assert.Single(table.Split('\n'), line => line.StartsWith("| bgnbd |", StringComparison.Ordinal));
        Assert.Contains(MetricColumn.ByKey("gini").FormatValue(comparison[ModelNames.BgNbd].Gini), bgnbdRow, StringComparison.Ordinal);
        Assert.Contains(MetricColumn.ByKey("mae").FormatValue(comparison[ModelNames.BgNbd].Mae), bgnbdRow, StringComparison.Ordinal);
        Assert.EndsWith("| - |", bgnbdRow.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_WritesEveryMetricColumnKey_AndAucOnlyForModelsWithAProbability()
    {
        var comparison = ThreeModels();

        using var json = System.Text.Json.JsonDocument.Parse(comparison.ToJson());

        string[] published = ["gini", "spearman", "decileMape", "mae", "rmse", "bias", "topDecileCapture", "auc"];
        Assert.Equal(published, MetricColumn.All.Select(c => c.Key));
        var bgnbd = json.RootElement.GetProperty(ModelNames.BgNbd).EnumerateObject().Select(p => p.Name);
        Assert.Equal(published[..^1], bgnbd);
    }

    [Fact]
    public void ToMarkdownTable_HeadsEveryMetricColumnByItsLabel()
    {
        var header = ThreeModels().ToMarkdownTable().Split('\n')[0];

        Assert.Equal($"| model | {string.Join(" | ", MetricColumn.All.Select(c => c.Label))} |", header.TrimEnd());
        Assert.Contains("| decile MAPE |", header, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdownTable_ExplainsUndefinedMetricsBelowTheTable()
    {
        var table = ThreeModels().ToMarkdownTable();

        Assert.Contains("- naive spearman: every prediction is equal", table, StringComparison.Ordinal);
    }

    [Fact]
    public void FromLookup_PredictsZeroForCustomersTheModelLeftOut()
    {
        var predictions = new Dictionary<string, double>(StringComparer.Ordinal) { ["c2"] = 7, ["c4"] = 9 };

        var scores = ModelScores.FromLookup(ModelNames.Naive, Customers, Actual, predictions);

        Assert.Equal([0, 7, 0, 9], scores.Predicted);
    }

    [Fact]
    public void FromBaseline_KeepsPurchaseProbabilitiesAndZeroesCustomersLeftOut()
    {
        BaselinePrediction[] predictions = [new("c2", 1.5, 7, 0.6), new("c4", 3, 9, 0.9)];

        var scores = ModelScores.FromBaseline(ModelNames.BgNbd, Customers, Actual, predictions);

        Assert.Equal([0, 7, 0, 9], scores.Predicted);
        Assert.Equal([0, 0.6, 0, 0.9], scores.PurchaseProbability!);
    }

    [Fact]
    public void FromBaseline_WithoutPurchaseProbabilities_HasNoAuc()
    {
        BaselinePrediction[] predictions = [new("c2", 1.5, 7), new("c4", 3, 9)];

        var scores = ModelScores.FromBaseline(ModelNames.Naive, Customers, Actual, predictions);

        Assert.Null(scores.ComputeMetrics().Auc);
    }

    [Fact]
    public void ModelScores_WithTooFewPredictions_ThrowsNamingTheModel()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelScores(ModelNames.Lstm, Customers, Actual, [1, 2]));

        Assert.Contains("'lstm'", error.Message, StringComparison.Ordinal);
    }
}
