using Clv.Modeling.Baselines;

namespace Clv.Modeling.Tests.Baselines;

public class BgNbdFrequentBuyerTests
{
    [Theory]
    [InlineData(2.5, 1.5, 4.0, 0.3)]
    [InlineData(10.0, 3.0, 12.0, 0.7)]
    public void LogSeries_AgreesWithThePlainSeriesWhereBothAreFinite(double a, double b, double c, double z)
    {
        Assert.Equal(Math.Log(Hypergeometric.Gauss2F1(a, b, c, z)), Hypergeometric.LogGauss2F1(a, b, c, z), 1e-10);
    }

    [Fact]
    public void ExpectedTransactions_OfAGroceryFitWithThousandsForAAndMillionsForB_IsFiniteAndNearThePoissonRate()
    {
        // The fit on a grocery panel's frequent buyers: dropout almost never happens, so the expectation is close to
        // the gamma-Poisson rate (r + x) / (alpha + T) times the horizon.
        var model = new BgNbdModel(1.387, 3.018, 3538.0, 3_049_951.7);

        var expected = model.ExpectedTransactions(19, 37.71, 38.14, 13);

        var poisson = (1.387 + 19) / (3.018 + 38.14) * 13;
        Assert.True(double.IsFinite(expected), $"expected transactions {expected}");
        Assert.InRange(expected, 0.95 * poisson, poisson);
    }
}
