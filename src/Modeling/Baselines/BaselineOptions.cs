namespace Clv.Modeling.Baselines;

/// <summary>Settings shared by the baseline models.</summary>
public sealed record BaselineOptions
{
    /// <summary>Defaults: weeks, as in the published CDNOW fits.</summary>
    public static BaselineOptions Default { get; } = new();

    /// <summary>
    /// The unit in which recency, age and horizons are measured. Seven days by default.
    /// Fitted BG/NBD rates (<c>alpha</c>) are per this unit; the predictions over a horizon do not depend on it.
    /// </summary>
    public TimeSpan TimeUnit { get; init; } = TimeSpan.FromDays(7);
}
