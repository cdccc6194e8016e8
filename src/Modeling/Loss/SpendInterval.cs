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
}
