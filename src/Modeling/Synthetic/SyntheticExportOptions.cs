namespace Clv.Modeling.Synthetic;

/// <summary>Which generative process a synthetic export follows.</summary>
public enum SyntheticMode
{
    /// <summary>
    /// BG/NBD and Gamma-Gamma as the base, plus structure BG/NBD cannot capture: a yearly season (purchase rate
    /// <c>1 + A cos(2 pi (day of year - peak) / 365)</c>, peaking mid-December), order values that trend by cohort
    /// (each later cohort spends more per order) and grow with tenure, and churn whose hazard rises with the time
    /// since the last purchase (on top of the dropout after each purchase).
    /// </summary>
    Realistic,

    /// <summary>Exactly BG/NBD and Gamma-Gamma: the true model is the BG/NBD baseline (a test of the baseline).</summary>
    BgNbd,
}

/// <summary>
/// The generative process of a synthetic export. Defaults give CDNOW-like customers at a higher purchase rate:
/// BG/NBD repeat purchases (rate <c>lambda ~ Gamma(r, alpha)</c> per week, dropout <c>p ~ Beta(a, b)</c> after each purchase),
/// Gamma-Gamma order values (<c>nu ~ Gamma(q, gamma)</c>, value <c>~ Gamma(p, nu)</c>), acquisition in several cohorts,
/// and in <see cref="SyntheticMode.Realistic"/> mode (the default) seasonality, cohort spend trends and churn that
/// rises with inactivity.
/// </summary>
public sealed record SyntheticExportOptions
{
    /// <summary>The generative process (default <see cref="SyntheticMode.Realistic"/>).</summary>
    public SyntheticMode Mode { get; init; } = SyntheticMode.Realistic;

    /// <summary>Realistic mode: amplitude <c>A</c> of the yearly season of the purchase rate, in [0, 1) (default 0.6).</summary>
    public double SeasonAmplitude { get; init; } = 0.6;

    /// <summary>Realistic mode: growth of the mean order value per later cohort (default 0.35: the fourth cohort spends 2x the first).</summary>
    public double CohortSpendTrend { get; init; } = 0.35;

    /// <summary>Realistic mode: yearly growth of a customer's order values with tenure (default 0.25).</summary>
    public double TenureSpendTrend { get; init; } = 0.25;

    /// <summary>
    /// Realistic mode: days of inactivity after which churn has taken half of those still active, for a typical customer
    /// (default 120; the hazard rises linearly with the days since the last purchase).
    /// </summary>
    public double InactivityHalfLifeDays { get; init; } = 120;

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
