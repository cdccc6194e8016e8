namespace Clv.Modeling.Loss;

/// <summary>
/// The per-customer interval every model output carries: the 10th, 50th and 90th percentiles of spend
/// over the horizon under the ZILN distribution (<see cref="Ziln.Quantile"/>), so that
/// <c>[P10, P90]</c> is a central 80% interval.
/// </summary>
public static class SpendInterval
{
    /// <summary>Level of the lower bound, P10.</summary>
    public const double LowLevel = 0.1;

    /// <summary>Level of the median, P50.</summary>
    public const double MedianLevel = 0.5;

    /// <summary>Level of the upper bound, P90.</summary>
    public const double HighLevel = 0.9;

    /// <summary>The three levels in output order: P10, P50, P90.</summary>
    public static ReadOnlySpan<double> Levels => [LowLevel, MedianLevel, HighLevel];

    /// <summary>
    /// The probability the ZILN distribution itself puts inside <c>[P10, P90]</c> (bounds included), from the
    /// probability <paramref name="probability"/> of any spend: the coverage a calibrated model is expected to show.
    /// </summary>
    /// <remarks>
    /// Spend has an atom at zero of mass <c>1 - p</c>, so the closed interval is a central 80% interval only when
    /// that atom is below 10%. When <c>0.1 &lt;= 1 - p &lt; 0.9</c>, P10 is zero and <c>[0, P90]</c> holds 90%; when
    /// <c>1 - p &gt;= 0.9</c>, P90 is zero too and <c>[0, 0]</c> holds <c>1 - p</c>. A shop where most customers buy
    /// nothing in the horizon therefore expects well above 0.8 from a calibrated model; the backtest reports this
    /// expectation beside the observed share so the two are compared like with like.
    /// </remarks>
    public static double ExpectedCoverage(double probability)
    {
        var zeroMass = 1 - Math.Clamp(probability, 0, 1);
        if (zeroMass >= HighLevel)
        {
            return zeroMass;
        }

        return zeroMass >= LowLevel ? HighLevel : HighLevel - LowLevel;
    }
}
