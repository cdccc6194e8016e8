using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// Metrics of several models on the same test customers, keyed by model name (see <see cref="ModelNames"/>),
/// in the order the models were added.
/// </summary>
public sealed class ModelComparison
{
    private readonly List<KeyValuePair<string, ModelMetrics>> _models;

    /// <summary>A comparison of already computed metrics.</summary>
    /// <exception cref="ArgumentException">A model name appears twice.</exception>
    public ModelComparison(IEnumerable<KeyValuePair<string, ModelMetrics>> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = [.. models];
        var duplicate = _models.GroupBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Model '{duplicate.Key}' appears more than once.", nameof(models));
        }
    }

    /// <summary>The model names, in order.</summary>
    public IReadOnlyList<string> Names => [.. _models.Select(m => m.Key)];

    /// <summary>Models and their metrics, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, ModelMetrics>> Models => _models;

    /// <summary>The metrics of one model.</summary>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    public ModelMetrics this[string modelName] =>
        _models.FirstOrDefault(m => string.Equals(m.Key, modelName, StringComparison.Ordinal)).Value
        ?? throw new KeyNotFoundException($"No model '{modelName}' in the comparison; it has {string.Join(", ", Names)}.");

    /// <summary>Computes every model's metrics.</summary>
    /// <exception cref="ArgumentException">The models were not scored on the same customers with the same actual spend.</exception>
    public static ModelComparison Evaluate(IReadOnlyList<ModelScores> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        foreach (var other in scores.Skip(1))
        {
            if (!scores[0].HasSameCustomersAs(other, out var difference))
            {
                throw new ArgumentException($"Models must be compared on the same test customers: {difference}.", nameof(scores));
            }
        }

        return new ModelComparison(scores.Select(s => KeyValuePair.Create(s.ModelName, s.ComputeMetrics())));
    }

    /// <summary>
    /// The comparison as JSON: an object keyed by model name, each an object with <c>gini</c>, <c>spearman</c>,
    /// <c>decileMape</c>, <c>mae</c>, <c>rmse</c>, <c>bias</c>, <c>topDecileCapture</c> and, for a model with a
    /// purchase probability, <c>auc</c>. An undefined metric is <c>null</c>.
    /// </summary>
    public string ToJson(bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            foreach (var (name, metrics) in _models)
            {
                writer.WriteStartObject(name);
                WriteMetrics(writer, metrics);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The comparison as a Markdown table, one row per model. Ratios have four decimals, MAE and RMSE two;
    /// an undefined metric reads <c>n/a</c>, an AUC that does not apply <c>-</c>. Notes on undefined or
    /// partial metrics follow the table as a list.
    /// </summary>
    public string ToMarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| model | gini | spearman | decile MAPE | MAE | RMSE | bias | top-decile capture | AUC |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, m) in _models)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {FormatRatio(m.Gini)} | {FormatRatio(m.Spearman)} | {FormatRatio(m.DecileMape)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {FormatAmount(m.Mae)} | {FormatAmount(m.Rmse)} | {FormatRatio(m.Bias)} | {FormatRatio(m.TopDecileCapture)} ");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {(m.Auc is { } auc ? FormatRatio(auc) : "-")} |");
        }

        var notes = _models
            .SelectMany(m => Named(m.Value).Where(n => n.Value.Note is not null).Select(n => $"- {m.Key} {n.Name}: {n.Value.Note}"))
            .ToArray();
        if (notes.Length > 0)
        {
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine(note);
            }
        }

        return text.ToString();
    }

    /// <summary>A ratio metric as the report prints it (four decimals, <c>n/a</c> when undefined).</summary>
    public static string FormatRatio(MetricValue value) =>
        value.Value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>An amount metric as the report prints it (two decimals, <c>n/a</c> when undefined).</summary>
    public static string FormatAmount(MetricValue value) =>
        value.Value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static IEnumerable<(string Name, MetricValue Value)> Named(ModelMetrics m)
    {
        yield return ("gini", m.Gini);
        yield return ("spearman", m.Spearman);
        yield return ("decile MAPE", m.DecileMape);
        yield return ("MAE", m.Mae);
        yield return ("RMSE", m.Rmse);
        yield return ("bias", m.Bias);
        yield return ("top-decile capture", m.TopDecileCapture);
        if (m.Auc is { } auc)
        {
            yield return ("AUC", auc);
        }
    }

    /// <summary>Writes one model's metrics as properties of the open JSON object (the members of <see cref="ToJson"/>'s model objects).</summary>
    internal static void WriteMetrics(Utf8JsonWriter writer, ModelMetrics metrics)
    {
        Write(writer, "gini", metrics.Gini);
        Write(writer, "spearman", metrics.Spearman);
        Write(writer, "decileMape", metrics.DecileMape);
        Write(writer, "mae", metrics.Mae);
        Write(writer, "rmse", metrics.Rmse);
        Write(writer, "bias", metrics.Bias);
        Write(writer, "topDecileCapture", metrics.TopDecileCapture);
        if (metrics.Auc is { } auc)
        {
            Write(writer, "auc", auc);
        }
    }

    private static void Write(Utf8JsonWriter writer, string name, MetricValue value)
    {
        if (value.Value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
