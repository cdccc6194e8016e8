using Clv.Modeling.Loss;

namespace Clv.Modeling.Tests.Loss;

public class SpendIntervalTests
{
    [Theory]
    [InlineData(0.99, 0.8)]
    [InlineData(0.95, 0.8)]
    [InlineData(0.6, 0.9)]
    [InlineData(0.2, 0.9)]
    [InlineData(0.05, 0.95)]
    [InlineData(0.0, 1.0)]
    public void ExpectedCoverage_MatchesTheShareOfDrawsInsideP10P90(double probability, double expected)
    {
        // Draws from the ZILN itself: a calibrated model's coverage of its own [P10, P90].
        const double Mu = 3.0;
        const double Sigma = 0.8;
        var p10 = Ziln.Quantile(probability, Mu, Sigma, SpendInterval.LowLevel);
        var p90 = Ziln.Quantile(probability, Mu, Sigma, SpendInterval.HighLevel);
        var random = new Random(7);
        const int Draws = 200_000;
        var inside = 0;
        for (var i = 0; i < Draws; i++)
        {
            var spend = random.NextDouble() < probability ? Math.Exp(Mu + (Sigma * Normal(random))) : 0;
            if (spend >= p10 && spend <= p90)
            {
                inside++;
            }
        }

        Assert.Equal(expected, SpendInterval.ExpectedCoverage(probability), 1e-12);
        Assert.Equal(expected, (double)inside / Draws, 0.005);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
