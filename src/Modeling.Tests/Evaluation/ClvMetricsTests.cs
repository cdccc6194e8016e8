using Clv.Modeling.Evaluation;

namespace Clv.Modeling.Tests.Evaluation;

public class ClvMetricsTests
{
    private const double Tolerance = 1e-12;

    // Three customers with actual spend 1, 0, 3. The perfect gain curve is [0.75, 1, 1]:
    // raw Gini 2 * 2.75 / 3 - 1 = 5/6.
    private static readonly double[] SmallActual = [1, 0, 3];

    [Fact]
    public void NormalizedGini_ForPerfectOrdering_IsOne()
    {
        var gini = ClvMetrics.NormalizedGini([3, 1, 0, 2], [0.9, 0.2, 0.1, 0.5]);

        Assert.Equal(1.0, gini.Value!.Value, Tolerance);
    }

    [Fact]
    public void NormalizedGini_ForPartialOrdering_MatchesHandComputedValue()
    {
        // Ranked 1, 3, 0: gain [0.25, 1, 1], raw 2 * 2.25 / 3 - 1 = 0.5; normalised 0.5 / (5/6) = 0.6.
        var gini = ClvMetrics.NormalizedGini(SmallActual, [0.5, 0.1, 0.2]);

        Assert.Equal(0.6, gini.Value!.Value, Tolerance);
    }

    [Fact]
    public void NormalizedGini_ForTiedPredictions_AveragesTheTiedGroup()
    {
        // The first two tie: each holds their mean 0.5, gain [0.125, 0.25, 1], raw -1/12; normalised -0.1.
        var gini = ClvMetrics.NormalizedGini(SmallActual, [0.5, 0.5, 0.1]);

        Assert.Equal(-0.1, gini.Value!.Value, Tolerance);
    }

    [Fact]
    public void NormalizedGini_ForConstantPredictions_IsTheDiagonalOverThePerfectCurve()
    {
        // One tie group: gain [1/3, 2/3, 1], raw 1/3 (the 1/n offset of the discrete definition); 0.4 normalised.
        var gini = ClvMetrics.NormalizedGini(SmallActual, [7, 7, 7]);

        Assert.Equal(0.4, gini.Value!.Value, Tolerance);
    }

    [Fact]
    public void NormalizedGini_ForAllZeroActual_IsUndefinedWithReason()
    {
        var gini = ClvMetrics.NormalizedGini([0, 0, 0], [1, 2, 3]);

        Assert.False(gini.IsDefined);
        Assert.Contains("zero", gini.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void GainCurve_RanksByPredictionHighestFirst()
    {
        var gain = ClvMetrics.GainCurve(SmallActual, [0.5, 0.1, 0.2]);

        Assert.Equal([0.25, 1, 1], gain);
    }

    [Fact]
    public void Spearman_ForDistinctValues_MatchesHandComputedValue()
    {
        // Ranks [2, 1, 3] and [3, 1, 2]: covariance 1, variances 2 and 2.
        var rho = ClvMetrics.Spearman(SmallActual, [0.5, 0.1, 0.2]);

        Assert.Equal(0.5, rho.Value!.Value, Tolerance);
    }

    [Fact]
    public void Spearman_WithTies_UsesAverageRanks()
    {
        // Ranks [1.5, 1.5, 4, 3] and [1, 2, 3.5, 3.5]: covariance 4, variances 4.5 and 4.5.
        var rho = ClvMetrics.Spearman([0, 0, 5, 2], [1, 2, 3, 3]);

        Assert.Equal(4 / 4.5, rho.Value!.Value, Tolerance);
    }

    [Fact]
    public void Spearman_ForConstantPredictions_IsUndefinedWithReason()
    {
        var rho = ClvMetrics.Spearman(SmallActual, [2, 2, 2]);

        Assert.Null(rho.Value);
        Assert.Contains("prediction", rho.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void DecileMape_WithOneCustomerPerDecile_IsMeanRelativeError()
    {
        // Predictions 1..10 fall one per decile; actual 2 everywhere: mean of |i - 2| / 2 = 37 / 20.
        double[] predicted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var actual = Enumerable.Repeat(2.0, 10).ToArray();

        var mape = ClvMetrics.DecileMape(actual, predicted);

        Assert.Equal(1.85, mape.Value!.Value, Tolerance);
        Assert.Null(mape.Note);
    }

    [Fact]
    public void DecileMape_LeavesOutDecilesWithZeroActualAndSaysSo()
    {
        double[] predicted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] actual = [0, 2, 2, 2, 2, 2, 2, 2, 2, 2];

        var mape = ClvMetrics.DecileMape(actual, predicted);

        // Deciles 2..10: mean of |i - 2| / 2 over i = 2..10 is 36 / 18.
        Assert.Equal(2.0, mape.Value!.Value, Tolerance);
        Assert.Contains("1 of 10 deciles", mape.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Deciles_WithTiedPredictions_KeepTiesTogetherLikePandasQcut()
    {
        // Decile edges [0 x7, 0.4, 1.3, 2.2, 3.1, 4]: the six zeros fill the first decile, 1..4 the last four.
        double[] predicted = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
        double[] actual = [1, 1, 1, 1, 1, 7, 2, 2, 2, 2];

        var deciles = ClvMetrics.Deciles(actual, predicted);

        Assert.Equal([0, 6, 7, 8, 9], deciles.Select(d => d.Index));
        Assert.Equal(6, deciles[0].CustomerCount);
        Assert.Equal(2.0, deciles[0].ActualMean, Tolerance);
    }

    [Fact]
    public void MaeAndRmse_MatchHandComputedValues()
    {
        double[] predicted = [2, 0, 1];

        Assert.Equal(1.0, ClvMetrics.MeanAbsoluteError(SmallActual, predicted).Value!.Value, Tolerance);
        Assert.Equal(Math.Sqrt(5.0 / 3), ClvMetrics.RootMeanSquaredError(SmallActual, predicted).Value!.Value, Tolerance);
    }

    [Fact]
    public void AggregateBias_IsTotalPredictedOverTotalActualMinusOne()
    {
        var bias = ClvMetrics.AggregateBias(SmallActual, [2, 0, 1]);

        Assert.Equal(-0.25, bias.Value!.Value, Tolerance);
    }

    [Fact]
    public void TopDecileCapture_IsTheShareHeldByTheTopTenPercent()
    {
        // 20 customers: the top two by prediction hold 10 + 5 of a total of 30.
        var predicted = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var actual = new double[20];
        actual[19] = 10;
        actual[18] = 5;
        actual[0] = 15;

        var capture = ClvMetrics.TopDecileCapture(actual, predicted);

        Assert.Equal(0.5, capture.Value!.Value, Tolerance);
    }

    [Fact]
    public void Auc_CountsTiedPairsAsHalf()
    {
        // Positive scores 0.8 and 0.6 against negatives 0.1 and 0.8: pairs 1 + 0.5 + 1 + 0 of 4.
        var auc = ClvMetrics.Auc([0, 1, 0, 2], [0.1, 0.8, 0.8, 0.6]);

        Assert.Equal(0.625, auc.Value!.Value, Tolerance);
    }

    [Fact]
    public void Auc_WhenEveryCustomerSpent_IsUndefinedWithReason()
    {
        var auc = ClvMetrics.Auc([1, 2, 3], [0.1, 0.5, 0.9]);

        Assert.Null(auc.Value);
        Assert.Contains("negative class", auc.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_OnAllZeroActual_GivesReasonsInsteadOfNaN()
    {
        var metrics = ClvMetrics.Compute([0, 0, 0, 0], [1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4]);

        MetricValue[] ratios = [metrics.Gini, metrics.Spearman, metrics.DecileMape, metrics.Bias, metrics.TopDecileCapture, metrics.Auc!.Value];
        Assert.All(ratios, m => Assert.False(string.IsNullOrEmpty(m.Note)));
        Assert.All(ratios, m => Assert.Null(m.Value));
        Assert.Equal(2.5, metrics.Mae.Value!.Value, Tolerance);
    }

    [Fact]
    public void Compute_OnNoCustomers_IsUndefinedEverywhere()
    {
        var metrics = ClvMetrics.Compute([], []);

        MetricValue[] all = [metrics.Gini, metrics.Spearman, metrics.DecileMape, metrics.Mae, metrics.Rmse, metrics.Bias, metrics.TopDecileCapture];
        Assert.All(all, m => Assert.False(m.IsDefined));
        Assert.Null(metrics.Auc);
    }

    [Fact]
    public void Metrics_WithDifferentLengths_ThrowNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => ClvMetrics.NormalizedGini([1, 2], [1]));

        Assert.Equal("predicted", error.ParamName);
    }

    [Fact]
    public void Metrics_WithNaNPrediction_ThrowNamingTheIndex()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClvMetrics.MeanAbsoluteError([1, 2], [1, double.NaN]));

        Assert.Contains("[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_WithNegativeActual_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClvMetrics.AggregateBias([1, -2], [1, 1]));
    }
}
