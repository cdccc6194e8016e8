namespace Clv.Modeling.Synthetic;

/// <summary>
/// The generative process of a synthetic export. Defaults give CDNOW-like customers at a higher purchase rate:
/// BG/NBD repeat purchases (rate <c>lambda ~ Gamma(r, alpha)</c> per week, dropout <c>p ~ Beta(a, b)</c> after each purchase),
/// Gamma-Gamma order values (<c>nu ~ Gamma(q, gamma)</c>, value <c>~ Gamma(p, nu)</c>), acquisition in several cohorts.
/// </summary>
public sealed record SyntheticExportOptions
{
    /// <summary>Customers to generate (default 10,000); ignored when <see cref="TargetBytes"/> is set.</summary>
    public int Customers { get; init; } = 10_000;

    /// <summary>Keep adding customers until the export reaches this many bytes; <see langword="null"/> (default) to use <see cref="Customers"/>.</summary>
    public long? TargetBytes { get; init; }

    /// <summary>Random seed: the same seed and options give byte-identical output.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>First day of the export (default Monday 2023-01-02).</summary>
    public DateOnly Start { get; init; } = new(2023, 1, 2);

    /// <summary>Length of the export in weeks (default 104).</summary>
    public int Weeks { get; init; } = 104;

    /// <summary>Acquisition cohorts, spread evenly over the first half of the export (default 4).</summary>
    public int Cohorts { get; init; } = 4;

    /// <summary>Shape <c>r</c> of the purchase-rate distribution (default 1.5).</summary>
    public double PurchaseRateShape { get; init; } = 1.5;

    /// <summary>Rate <c>alpha</c> of the purchase-rate distribution, per week (default 8; mean rate <c>r / alpha</c> ~ 0.19 per week).</summary>
    public double PurchaseRateRate { get; init; } = 8;

    /// <summary>Dropout <c>Beta(a, b)</c> parameter <c>a</c> (default 0.8).</summary>
    public double DropoutA { get; init; } = 0.8;

    /// <summary>Dropout <c>Beta(a, b)</c> parameter <c>b</c> (default 6).</summary>
    public double DropoutB { get; init; } = 6;

    /// <summary>Gamma-Gamma <c>p</c> (default 6.25, the CDNOW fit).</summary>
    public double SpendP { get; init; } = 6.25;

    /// <summary>Gamma-Gamma <c>q</c> (default 3.74).</summary>
    public double SpendQ { get; init; } = 3.74;

    /// <summary>Gamma-Gamma <c>gamma</c> (default 15.44).</summary>
    public double SpendGamma { get; init; } = 15.44;

    /// <summary>Mean lines per order (at least 1; default 2).</summary>
    public double LinesPerOrder { get; init; } = 2;

    /// <summary>Share of lines returned 1..30 days later as a negative line (default 0.03).</summary>
    public double ReturnRate { get; init; } = 0.03;

    /// <summary>Share of extra dirty rows (a control character in the customer id, bad date, bad amount, wrong field count in turn; default 0.001).</summary>
    public double DirtyRowRate { get; init; } = 0.001;
}
