using MathNet.Numerics.Distributions;

namespace Clv.Modeling.Loss;

/// <summary>
/// The zero-inflated lognormal distribution of Wang, Liu and Miao (2019),
/// <see href="https://github.com/google/lifetime_value"/>, parameterised by three logits.
/// </summary>
/// <remarks>
/// <c>p = sigmoid(l0)</c>, <c>mu = l1</c>, <c>sigma = softplus(l2)</c>;
/// expected value <c>p * exp(mu + sigma^2 / 2)</c>.
/// </remarks>
public static class Ziln
{
    /// <summary>Probability of any spend, <c>sigmoid(l0)</c>.</summary>
    public static double Probability(double l0) => l0 >= 0 ? 1 / (1 + Math.Exp(-l0)) : Math.Exp(l0) / (1 + Math.Exp(l0));

    /// <summary>Lognormal scale, <c>softplus(l2) = log(1 + exp(l2))</c>, computed without overflow.</summary>
    public static double Sigma(double l2) => l2 > 0 ? l2 + Math.Log(1 + Math.Exp(-l2)) : Math.Log(1 + Math.Exp(l2));

    /// <summary>Expected spend <c>p * exp(mu + sigma^2 / 2)</c> from the three logits.</summary>
    public static double ExpectedValue(double l0, double l1, double l2)
    {
        var sigma = Sigma(l2);
        return Probability(l0) * Math.Exp(l1 + (sigma * sigma / 2));
    }

    /// <summary>
    /// The <paramref name="level"/> quantile of spend under the distribution: zero when
    /// <c>level &lt;= 1 - p</c>, else the lognormal quantile <c>exp(mu + sigma * Phi^-1((level - (1 - p)) / p))</c>.
    /// </summary>
    /// <param name="probability">p, the probability of any spend, in [0, 1].</param>
    /// <param name="mu">Lognormal location.</param>
    /// <param name="sigma">Lognormal scale, positive.</param>
    /// <param name="level">Quantile level in (0, 1), e.g. 0.1, 0.5, 0.9.</param>
    public static double Quantile(double probability, double mu, double sigma, double level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, 1);
        var zeroMass = 1 - probability;
        if (level <= zeroMass || probability <= 0)
        {
            return 0;
        }

        var conditional = (level - zeroMass) / probability;
        return Math.Exp(mu + (sigma * Normal.InvCDF(0, 1, Math.Min(conditional, 1 - 1e-12))));
    }
}
