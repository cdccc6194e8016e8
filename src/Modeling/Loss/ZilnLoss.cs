using System.Runtime.CompilerServices;

namespace Clv.Modeling.Loss;

/// <summary>
/// Per-example losses over the three head logits and their gradients, in double precision.
/// </summary>
/// <remarks>
/// ZILN (Wang, Liu and Miao 2019, <see href="https://github.com/google/lifetime_value"/>):
/// <c>loss = BCE(1[y&gt;0], l0) - 1[y&gt;0] * log LogNormal(y; mu = l1, sigma = softplus(l2))</c>, with
/// <c>BCE(z, l) = softplus(l) - z * l</c> and
/// <c>-log LogNormal(y; mu, sigma) = log y + log sigma + log(2 pi) / 2 + (log y - mu)^2 / (2 sigma^2)</c>.
/// As in the reference implementation sigma is floored at <see cref="MinSigma"/> inside the loss so a
/// collapsing scale cannot make the loss infinite; below the floor the gradient toward <c>l2</c> is zero.
/// MSE: <c>loss = (p * exp(mu + sigma^2 / 2) - y)^2</c>, the squared error of the prediction itself.
/// </remarks>
internal static class ZilnLoss
{
    /// <summary>Smallest lognormal scale used inside the loss, <c>sqrt(1e-7)</c> as in google/lifetime_value.</summary>
    public const double MinSigma = 3.1622776601683795e-4;

    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>Loss of one example and its gradient with respect to the logits.</summary>
    /// <param name="kind">Which objective.</param>
    /// <param name="l0">Purchase logit.</param>
    /// <param name="l1">Lognormal mu.</param>
    /// <param name="l2">Pre-softplus lognormal sigma.</param>
    /// <param name="label">Observed spend, never negative.</param>
    /// <param name="d0">Gradient toward <paramref name="l0"/>.</param>
    /// <param name="d1">Gradient toward <paramref name="l1"/>.</param>
    /// <param name="d2">Gradient toward <paramref name="l2"/>.</param>
    /// <returns>The loss.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Evaluate(LossKind kind, double l0, double l1, double l2, double label, out double d0, out double d1, out double d2) =>
        kind == LossKind.Mse
            ? SquaredError(l0, l1, l2, label, out d0, out d1, out d2)
            : Ziln(l0, l1, l2, label, out d0, out d1, out d2);

    /// <summary>ZILN negative log-likelihood and gradient.</summary>
    public static double Ziln(double l0, double l1, double l2, double label, out double d0, out double d1, out double d2)
    {
        var positive = label > 0;
        var z = positive ? 1.0 : 0.0;

        // softplus(l0) - z * l0, stable for any l0; its derivative is sigmoid(l0) - z.
        var loss = Clv.Modeling.Loss.Ziln.Sigma(l0) - (z * l0);
        d0 = Clv.Modeling.Loss.Ziln.Probability(l0) - z;
        d1 = 0;
        d2 = 0;
        if (!positive)
        {
            return loss;
        }

        var rawSigma = Clv.Modeling.Loss.Ziln.Sigma(l2);
        var floored = rawSigma < MinSigma;
        var sigma = floored ? MinSigma : rawSigma;
        var logY = Math.Log(label);
        var u = logY - l1;
        var inverseVariance = 1 / (sigma * sigma);
        loss += logY + Math.Log(sigma) + HalfLogTwoPi + (0.5 * u * u * inverseVariance);
        d1 = -u * inverseVariance;

        // d/dsigma = 1/sigma - u^2/sigma^3; dsigma/dl2 = sigmoid(l2).
        d2 = floored ? 0 : ((1 / sigma) - (u * u * inverseVariance / sigma)) * Clv.Modeling.Loss.Ziln.Probability(l2);
        return loss;
    }

    /// <summary>Squared error of the expected value and gradient.</summary>
    public static double SquaredError(double l0, double l1, double l2, double label, out double d0, out double d1, out double d2)
    {
        var p = Clv.Modeling.Loss.Ziln.Probability(l0);
        var sigma = Clv.Modeling.Loss.Ziln.Sigma(l2);
        var prediction = p * Math.Exp(l1 + (sigma * sigma / 2));
        var error = prediction - label;
        var scale = 2 * error * prediction;
        d0 = scale * (1 - p);
        d1 = scale;
        d2 = scale * sigma * Clv.Modeling.Loss.Ziln.Probability(l2);
        return error * error;
    }

}
