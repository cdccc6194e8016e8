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
}
