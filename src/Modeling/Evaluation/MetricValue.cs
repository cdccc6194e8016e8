using System.Globalization;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// The value of one evaluation metric, or the reason it is undefined on the given customers
/// (for example a Gini coefficient when every actual value is zero). Never NaN.
/// </summary>
public readonly record struct MetricValue
{
    private MetricValue(double? value, string? note)
    {
        Value = value;
        Note = note;
    }

    /// <summary>The metric, or <see langword="null"/> when it is undefined on these customers.</summary>
    public double? Value { get; }

    /// <summary>
    /// Why the metric is undefined, or, for a defined value, what was left out to compute it
    /// (for example deciles with zero actual spend); <see langword="null"/> when there is nothing to say.
    /// </summary>
    public string? Note { get; }

    /// <summary>Whether the metric has a value.</summary>
    public bool IsDefined => Value.HasValue;

    /// <summary>A defined metric value, optionally with a note on what it left out.</summary>
    public static MetricValue Of(double value, string? note = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A metric value must be finite; use Undefined with a reason instead.");
        }

        return new MetricValue(value, note);
    }

    /// <summary>An undefined metric, with the reason.</summary>
    public static MetricValue Undefined(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new MetricValue(null, reason);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Value is { } value ? value.ToString("G6", CultureInfo.InvariantCulture) : $"undefined ({Note})";
}
