using Clv.Modeling.Baselines;

namespace Clv.Modeling.Tests.Baselines;

public class BgNbdModelTests
{
    private const double HardieSheetTolerance = 1e-3;
    private const double SeriesParityRelativeTolerance = 1e-10;

    // The published CDNOW parameters (Fader, Hardie and Lee 2005).
    private static readonly BgNbdModel Published = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void ExpectedTransactions_MatchesHardiesSpreadsheetForTheCdnowExample()
    {
        // Fader and Hardie's BG/NBD spreadsheet: E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226.
        var expected = Published.ExpectedTransactions(frequency: 2, recency: 30.43, age: 38.86, horizon: 39);

        Assert.Equal(1.226, expected, HardieSheetTolerance);
    }

    [Theory]
    [InlineData(0, 0.0, 38.86, 39.0)]
    [InlineData(1, 1.71, 38.86, 39.0)]
    [InlineData(5, 20.0, 30.0, 52.0)]
    public void ExpectedTransactions_AgreesWithTheUntransformedSeries(int frequency, double recency, double age, double horizon)
    {
        var direct = DirectExpectedTransactions(Published, frequency, recency, age, horizon);

        var actual = Published.ExpectedTransactions(frequency, recency, age, horizon);

        Assert.Equal(direct, actual, SeriesParityRelativeTolerance * direct);
    }

    // 400 repeats in 39 weeks, the last on the final day: the series parameters stay small and the answer finite.
    [Fact]
    public void ExpectedTransactions_ForAVeryHeavyBuyer_IsFiniteAndLarge()
    {
        var expected = Published.ExpectedTransactions(frequency: 400, recency: 38.86, age: 38.86, horizon: 39);

        Assert.True(double.IsFinite(expected));
        Assert.True(expected > 100, $"expected a heavy buyer to keep buying, got {expected}");
    }

    [Fact]
    public void ExpectedTransactions_OverAnEmptyHorizon_IsZero()
    {
        Assert.Equal(0, Published.ExpectedTransactions(frequency: 3, recency: 10, age: 20, horizon: 0));
    }

    [Fact]
    public void ProbabilityAlive_WithoutRepeats_IsOne()
    {
        Assert.Equal(1.0, Published.ProbabilityAlive(frequency: 0, recency: 0, age: 38.86));
    }

    [Fact]
    public void ProbabilityAlive_DropsWithTimeSinceTheLastPurchase()
    {
        var recent = Published.ProbabilityAlive(frequency: 6, recency: 38, age: 38.86);
        var lapsed = Published.ProbabilityAlive(frequency: 6, recency: 10, age: 38.86);

        Assert.True(lapsed < recent, $"lapsed {lapsed} should be below recent {recent}");
    }

    [Fact]
    public void ProbabilityOfPurchase_OverATinyHorizon_MatchesTheExpectedTransactions()
    {
        // Over a horizon t -> 0, at most one purchase happens, so P(any) / E[count] -> 1.
        const double horizon = 1e-5;
        const double ratioTolerance = 1e-3;

        var probability = Published.ProbabilityOfPurchase(frequency: 2, recency: 30.43, age: 38.86, horizon);
        var expected = Published.ExpectedTransactions(frequency: 2, recency: 30.43, age: 38.86, horizon);

        Assert.Equal(1.0, probability / expected, ratioTolerance);
    }

    [Theory]
    [InlineData(0, 0.0, 38.86)]
    [InlineData(2, 30.43, 38.86)]
    [InlineData(10, 12.0, 38.86)]
    [InlineData(25, 38.0, 38.86)]
    public void ProbabilityOfPurchase_IsAProbabilityBelowTheExpectedCount(int frequency, double recency, double age)
    {
        foreach (var horizon in new[] { 1.0, 13, 39, 78 })
        {
            var probability = Published.ProbabilityOfPurchase(frequency, recency, age, horizon);

            Assert.InRange(probability, 0, 1);
            Assert.True(probability <= Published.ExpectedTransactions(frequency, recency, age, horizon), $"P(any purchase) {probability} exceeds the expected count over {horizon}");
        }
    }

    [Fact]
    public void Fit_WithRecencyAfterAge_ThrowsNamingTheCustomer()
    {
        RfmSummary[] customers = [new("c-7", 2, Recency: 12, Age: 10, MeanRepeatSpend: 5, CalibrationSpend: 15)];

        var error = Assert.Throws<ArgumentException>(() => BgNbdModel.Fit(customers));

        Assert.Contains("c-7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_OnASingleCustomer_ThrowsSayingTheDataDoNotDetermineTheParameters()
    {
        RfmSummary[] customers = [new("only", 3, Recency: 5, Age: 10, MeanRepeatSpend: 2, CalibrationSpend: 8)];

        var error = Assert.Throws<InvalidOperationException>(() => BgNbdModel.Fit(customers));

        Assert.Contains("BG/NBD", error.Message, StringComparison.Ordinal);
        Assert.Contains("do not determine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogLikelihoodOf_ThePublishedParameters_IsThePublishedValue()
    {
        // Fader, Hardie and Lee (2005): LL = -9582.4 at the published parameters.
        var customers = CdnowTestData.ReadSummary(CdnowTestData.RequireFile("cdnow_customers_summary.csv"));

        Assert.Equal(-9582.4, Published.LogLikelihoodOf(customers), 0.5);
    }

    // Equation 10 of Fader, Hardie and Lee (2005) as printed, with a plain 2F1 series.
    private static double DirectExpectedTransactions(BgNbdModel m, int frequency, double recency, double age, double horizon)
    {
        double x = frequency;
        double a = m.R + x, b = m.B + x, c = m.A + m.B + x - 1, z = horizon / (m.Alpha + age + horizon);
        double term = 1, series = 1;
        for (var k = 0; k < 100_000 && Math.Abs(term) > 1e-17 * series; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            series += term;
        }

        var numerator = (m.A + m.B + x - 1) / (m.A - 1) * (1 - (Math.Pow((m.Alpha + age) / (m.Alpha + age + horizon), m.R + x) * series));
        var denominator = 1 + (frequency > 0 ? m.A / (m.B + x - 1) * Math.Pow((m.Alpha + age) / (m.Alpha + recency), m.R + x) : 0);
        return numerator / denominator;
    }
}
