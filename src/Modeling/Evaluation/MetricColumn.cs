using System.Globalization;

namespace Clv.Modeling.Evaluation;

/// <summary>How a metric column prints its values.</summary>
public enum MetricFormat
{
    /// <summary>A ratio or correlation: four decimals.</summary>
    Ratio,

    /// <summary>An amount of money: two decimals.</summary>
    Amount,
}

/// <summary>
/// One metric of the comparison table, declared once: its JSON key (a public contract), the label the tables print,
/// the format, what it means, and the value it reads from <see cref="ModelMetrics"/>. The JSON writer, the Markdown and
/// HTML reports and the tool's table all iterate <see cref="All"/>.
/// </summary>
/// <param name="Key">JSON key, e.g. <c>gini</c>, <c>decileMape</c>.</param>
/// <param name="Label">Column heading in the tables, e.g. <c>decile MAPE</c>.</param>
/// <param name="Format">How values print.</param>
/// <param name="Description">What the metric means, for the legend below the table; <see langword="null"/> when the label says it.</param>
/// <param name="Select">The metric of one model, or <see langword="null"/> where it does not apply (AUC of a model without a purchase probability).</param>
public sealed record MetricColumn(string Key, string Label, MetricFormat Format, string? Description, Func<ModelMetrics, MetricValue?> Select)
{
    /// <summary>What a cell reads when the metric does not apply to the model.</summary>
    public const string NotApplicable = "-";

    /// <summary>What a cell reads when the metric is undefined on these customers.</summary>
    public const string Undefined = "n/a";

    /// <summary>Every metric column, in table order.</summary>
    public static IReadOnlyList<MetricColumn> All { get; } =
    [
        new("gini", "gini", MetricFormat.Ratio, "normalised Gini of the gain curve (1 = perfect ranking)", m => m.Gini),
        new("spearman", "spearman", MetricFormat.Ratio, "rank correlation", m => m.Spearman),
        new("decileMape", "decile MAPE", MetricFormat.Ratio, "mean relative error of mean spend per prediction decile", m => m.DecileMape),
        new("mae", "MAE", MetricFormat.Amount, null, m => m.Mae),
        new("rmse", "RMSE", MetricFormat.Amount, null, m => m.Rmse),
        new("bias", "bias", MetricFormat.Ratio, "total predicted / total actual - 1", m => m.Bias),
        new("topDecileCapture", "top-decile capture", MetricFormat.Ratio, "share of actual spend held by the top 10% by prediction", m => m.TopDecileCapture),
        new("auc", "AUC", MetricFormat.Ratio, "purchase probability against any spend", m => m.Auc),
    ];

    /// <summary>The legend printed below the tables: each described column's label and meaning.</summary>
    public static string Legend { get; } = string.Join("; ", All.Where(c => c.Description is not null).Select(c => $"{c.Label}: {c.Description}")) + ".";

    /// <summary>The column with JSON key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">No column has that key.</exception>
    public static MetricColumn ByKey(string key) =>
        All.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown metric '{key}'; known: {string.Join(", ", All.Select(c => c.Key))}.", nameof(key));

    /// <summary>
    /// A value as the tables print it: <see cref="MetricFormat.Ratio"/> with four decimals, <see cref="MetricFormat.Amount"/>
    /// with two, <see cref="Undefined"/> when undefined, <see cref="NotApplicable"/> when it does not apply.
    /// </summary>
    public string FormatValue(MetricValue? value) => value switch
    {
        null => NotApplicable,
        { Value: { } v } => v.ToString(Format == MetricFormat.Amount ? "F2" : "F4", CultureInfo.InvariantCulture),
        _ => Undefined,
    };

    /// <summary>One model's cell of this column.</summary>
    public string FormatCell(ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return FormatValue(Select(metrics));
    }
}
