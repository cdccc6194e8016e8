using Clv.Modeling.Loss;

namespace Clv.Modeling.Tests.Loss;

public class ZilnTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void ExpectedValue_AtZeroLogits_IsHalfTimesLognormalMean()
    {
        // p = 0.5, mu = 0, sigma = ln 2  =>  0.5 * exp((ln 2)^2 / 2)
        var expected = 0.5 * Math.Exp(Math.Log(2) * Math.Log(2) / 2);

        Assert.Equal(expected, Ziln.ExpectedValue(0, 0, 0), Tolerance);
    }

    [Theory]
    [InlineData(800.0)]
    [InlineData(-800.0)]
    public void Sigma_ForExtremeLogits_StaysFinite(double l2)
    {
        var sigma = Ziln.Sigma(l2);

        Assert.True(double.IsFinite(sigma));
        Assert.True(sigma >= 0);
    }

    [Fact]
    public void Probability_ForLargeNegativeLogit_IsTinyButNotNaN()
    {
        var p = Ziln.Probability(-800);

        Assert.False(double.IsNaN(p));
        Assert.True(p < 1e-300);
    }
}
